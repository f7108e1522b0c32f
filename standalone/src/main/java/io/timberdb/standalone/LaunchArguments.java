package io.timberdb.standalone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Translates the spec's command-line flags into Spring properties, so that
 * {@code timberdb --data-dir ./timberdb-data --listen 127.0.0.1:7777 --node-id development}
 * works as documented. Flags take {@code --flag value} or {@code --flag=value}; anything else
 * passes through to Spring unchanged.
 *
 * <ul>
 *   <li>{@code --data-dir DIR} → {@code timberdb.data-dir}</li>
 *   <li>{@code --listen HOST:PORT} → {@code server.address}, {@code server.port}</li>
 *   <li>{@code --node-id ID} → {@code timberdb.node-id}</li>
 *   <li>{@code --insecure} → allow a non-loopback listen address without authentication</li>
 * </ul>
 */
final class LaunchArguments {

    private static final Set<String> TAKES_VALUE = Set.of("--data-dir", "--node-id", "--listen");

    private LaunchArguments() {
    }

    /** The Spring arguments for the given command line; fails with a message for bad flags. */
    static String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        boolean insecure = false;
        String listenHost = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            if (!TAKES_VALUE.contains(flag)) {
                if (arg.equals("--insecure")) {
                    insecure = true;
                } else {
                    out.add(arg);
                }
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            switch (flag) {
                case "--data-dir" -> out.add("--timberdb.data-dir=" + value);
                case "--node-id" -> out.add("--timberdb.node-id=" + value);
                default -> {
                    int colon = value.lastIndexOf(':');
                    String port = colon < 0 ? "" : value.substring(colon + 1);
                    if (colon <= 0 || port.isEmpty() || !port.chars().allMatch(Character::isDigit)
                            || Integer.parseInt(port) > 65535) {
                        throw new IllegalArgumentException(
                                "--listen takes HOST:PORT, e.g. 127.0.0.1:7777; got '" + value + "'");
                    }
                    listenHost = value.substring(0, colon);
                    out.add("--server.address=" + listenHost);
                    out.add("--server.port=" + port);
                }
            }
        }
        if (!insecure && !isLoopback(listenHost)) {
            throw new IllegalArgumentException("refusing to listen on " + listenHost
                    + " without authentication: anyone who can reach it could read and write your logs. "
                    + "Listen on 127.0.0.1, or pass --insecure if that is what you want.");
        }
        return out.toArray(String[]::new);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen: unknown host '" + host + "'");
        }
    }
}
