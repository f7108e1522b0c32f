package io.timberdb.standalone.token;

import java.io.PrintStream;
import java.time.Instant;

/** Lets tests in other packages run {@link TokenCommand} without {@code System.exit}. */
public final class TokenCommandAccess {

    private TokenCommandAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return TokenCommand.run(args, out, err, Instant.now());
    }
}
