package io.timberdb.standalone.token;

import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.security.local.LocalTokens;
import io.timberdb.security.route.Scopes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code ./timberdb token [--data-dir DIR] --scope S[,S] --tenant T [--ttl 1h]}: prints a JWT that
 * a standalone started with {@code ./timberdb up --auth} and the same {@code --data-dir} accepts,
 * signed with the key it generated there ({@link LocalSigningKey}). Runs without Spring: the
 * launcher starts this class from the standalone jar.
 */
public final class TokenCommand {

    private static final Set<String> FLAGS = Set.of("--data-dir", "--scope", "--tenant", "--ttl");
    static final String USAGE = "usage: timberdb token [--data-dir DIR] --scope S[,S] --tenant T [--ttl 1h]";

    private TokenCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Instant.now()));
    }

    /** Prints the token to {@code out}; returns the exit status (1: no key, 2: bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err, Instant now) {
        String dataDir = "./timberdb-data";
        String scope = null;
        String tenant = null;
        Duration ttl = Duration.ofHours(1);
        try {
            for (int i = 0; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                String flag = eq < 0 ? args[i] : args[i].substring(0, eq);
                if (!FLAGS.contains(flag)) {
                    throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
                String value = eq >= 0 ? args[i].substring(eq + 1) : ++i < args.length ? args[i] : null;
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                switch (flag) {
                    case "--data-dir" -> dataDir = value;
                    case "--scope" -> scope = value;
                    case "--tenant" -> tenant = value;
                    default -> ttl = parseTtl(value);
                }
            }
            if (scope == null || tenant == null) {
                throw new IllegalArgumentException("--scope and --tenant are required");
            }
            List<String> scopes = Arrays.stream(scope.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String s : scopes) {
                if (!Scopes.ALL.contains(s)) {
                    throw new IllegalArgumentException("unknown scope '" + s + "'; the scopes are " + new TreeSet<>(Scopes.ALL));
                }
            }
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("--scope needs at least one of " + new TreeSet<>(Scopes.ALL));
            }
            Path keyFile = LocalSigningKey.defaultFile(Path.of(dataDir));
            out.println(LocalTokens.sign(LocalSigningKey.load(keyFile), tenant, scopes, ttl, now));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("timberdb token: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (NoSuchFileException e) {
            err.println("timberdb token: no signing key in " + Path.of(dataDir, "security")
                    + ": start ./timberdb up --auth first (with the same --data-dir)");
            return 1;
        } catch (IOException e) {
            err.println("timberdb token: " + e.getMessage());
            return 1;
        }
    }

    private static Duration parseTtl(String value) {
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("--ttl takes a duration such as 15m, 1h or 7d; got '" + value + "'");
        }
    }
}
