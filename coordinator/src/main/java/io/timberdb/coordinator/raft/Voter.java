package io.timberdb.coordinator.raft;

import io.timberdb.coordinator.state.VoterAddress;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One voter of the metadata Raft group, as configured in {@code timberdb.coordinator.voters}:
 * {@code id@raft-host:raft-port@http-url}, e.g. {@code coordinator-1@127.0.0.1:7811@http://127.0.0.1:7801}.
 *
 * @param id the node id, e.g. {@code coordinator-1}
 * @param host where the voter's Raft RPC server listens and peers reach it (an address or a host name)
 * @param raftPort the Raft RPC port
 * @param httpUrl the base URL of the voter's HTTP API, where followers forward writes
 *
 * <p>An immutable value.
 */
public record Voter(String id, String host, int raftPort, URI httpUrl) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public Voter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(httpUrl, "httpUrl");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("voter id '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        if (host.isBlank() || host.contains("@") || host.contains(":") || host.equals("0.0.0.0")) {
            throw new IllegalArgumentException("voter " + id + ": raft host '" + host
                    + "' must be a host name or an IPv4 address that peers can reach (not 0.0.0.0)");
        }
        if (raftPort < 1 || raftPort > 65534) {
            throw new IllegalArgumentException("voter " + id + ": raft port " + raftPort + " is out of range");
        }
        if (!"http".equals(httpUrl.getScheme()) && !"https".equals(httpUrl.getScheme()) || httpUrl.getHost() == null) {
            throw new IllegalArgumentException("voter " + id + ": '" + httpUrl + "' is not an http(s) URL");
        }
    }

    /**
     * Parses {@code id@raft-host:raft-port@http-url}. Named {@code valueOf} so that Spring's
     * conversion binds {@code List<Voter>} properties from strings.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static Voter valueOf(String spec) {
        String text = spec.strip();
        int first = text.indexOf('@');
        int second = first < 0 ? -1 : text.indexOf('@', first + 1);
        if (first <= 0 || second < 0) {
            throw new IllegalArgumentException("voter '" + spec + "' is not of the form id@raft-host:raft-port@http-url");
        }
        String address = text.substring(first + 1, second);
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("voter '" + spec + "' has no raft port in '" + address + "'");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("voter '" + spec + "' has a non-numeric raft port", e);
        }
        URI url;
        try {
            url = URI.create(text.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("voter '" + spec + "' has a malformed http-url", e);
        }
        return new Voter(text.substring(0, first), address.substring(0, colon), port, url);
    }

    /**
     * The voter a directory entry names.
     *
     * @throws IllegalArgumentException when the entry is not a valid voter
     */
    public static Voter of(VoterAddress address) {
        return valueOf(address.id() + "@" + address.raftAddress() + "@" + address.httpUrl());
    }

    /** This voter as the replicated voter directory records it. */
    public VoterAddress address() {
        return new VoterAddress(id, raftAddress(), httpUrl.toString());
    }

    /** {@code host:port}, as Raft peers name this voter. */
    public String raftAddress() {
        return host + ":" + raftPort;
    }

    /** The configuration form, {@code id@host:port@url}. */
    @Override
    public String toString() {
        return id + "@" + raftAddress() + "@" + httpUrl;
    }
}
