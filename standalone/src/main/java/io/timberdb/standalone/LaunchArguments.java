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
 *   <li>{@code --auth} → {@code timberdb.security.mode=local}: tokens signed with a key generated
 *       under the data directory ({@code ./timberdb token} prints one)</li>
 *   <li>{@code --insecure} → allow a non-loopback listen address without authentication</li>
 * </ul>
 * Authentication is on with {@code --auth} or an explicit {@code --timberdb.security.mode=jwt}
 * (or {@code local}); without it, only a loopback listen address is accepted.
 */
final class LaunchArguments {

    private static final String MODE_PROPERTY = "--timberdb.security.mode=";
    private static final Set<String> TAKES_VALUE = Set.of("--data-dir", "--node-id", "--listen");

    private LaunchArguments() {
    }

    /** The Spring arguments for the given command line; fails with a message for bad flags. */
    static String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        boolean insecure = false;
        boolean authenticated = false;
        String listenHost = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            if (!TAKES_VALUE.contains(flag)) {
                if (arg.equals("--insecure")) {
                    insecure = true;
                } else if (arg.equals("--auth")) {
                    authenticated = true;
                    out.add("--timberdb.security.mode=local");
                } else {
                    if (arg.startsWith(MODE_PROPERTY) && !arg.substring(MODE_PROPERTY.length()).equalsIgnoreCase("off")) {
                        authenticated = true;
                    }
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
        if (!insecure && !authenticated && !isLoopback(listenHost)) {
            throw new IllegalArgumentException("refusing to listen on " + listenHost
                    + " without authentication: anyone who can reach it could read and write your logs. "
                    + "Listen on 127.0.0.1, turn authentication on with --auth, or pass --insecure if that is what you want.");
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
