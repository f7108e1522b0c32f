package io.timberdb.bench.query;

import io.timberdb.bench.Args;
import io.timberdb.bench.data.LoghubGenerator;
import io.timberdb.bench.data.LoghubSamples;
import io.timberdb.model.query.TextTerms;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * Picks the needle of the rare-token query in a generated data set: a 7-digit number that stands
 * as a whole word in a handful of messages (3 to 6 by default) and appears nowhere else — not
 * inside a longer number, not glued to letters — so that a substring search ({@code LIKE
 * '%…%'}, {@code CONTAINS}) and a token search ({@code MATCHES}) find exactly the same entries.
 * The data set is regenerated entry by entry ({@link LoghubGenerator#entry}), not read from disk.
 *
 * <p>Words follow TimberDB's tokenizer: runs of ASCII letters, ASCII digits and non-ASCII
 * characters. Deterministic: the smallest qualifying number wins.
 */
public final class NeedleFinder {

    /** The needle's length: 7 digits, 9M values, rare enough that 10M loghub entries hold each a handful of times. */
    static final int DIGITS = 7;
    private static final int VALUES = 10_000_000;

    /** Per 7-digit value: messages where it is a whole word, and messages where it appears at all. */
    static final class Counts {
        final int[] whole = new int[VALUES];
        final int[] anywhere = new int[VALUES];

        void add(Counts other) {
            for (int v = 0; v < VALUES; v++) {
                whole[v] += other.whole[v];
                anywhere[v] += other.anywhere[v];
            }
        }
    }

    private NeedleFinder() {
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv, List.of());
        if (args.has("help")) {
            System.out.println("""
                    usage: NeedleFinder --samples DIR --count N [--seed S] [--min 3] [--max 6]
                    prints needle=<7 digits> and matches=<entries> for the data set LoghubGenerator makes
                    with the same samples, count and seed (its default window and hosts)""");
            return;
        }
        Path samples = Path.of(args.required("samples"));
        long count = args.count("count", 1_000_000);
        long seed = args.longValue("seed", LoghubGenerator.DEFAULT_SEED);
        int min = (int) args.longValue("min", 3);
        int max = (int) args.longValue("max", 6);
        args.rejectUnknown();
        LoghubGenerator generator = new LoghubGenerator(LoghubSamples.load(samples), seed, count);
        long start = System.nanoTime();
        Counts counts = count(i -> generator.entry(i).message(), count);
        int needle = pick(counts, min, max);
        System.err.printf("scanned %,d messages in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
        if (needle < 0) {
            System.err.println("no 7-digit number occurs as a whole word in " + min + " to " + max + " messages only");
            System.exit(1);
        }
        System.out.printf("needle=%07d%nmatches=%d%n", needle, counts.whole[needle]);
    }

    /** Counts every message of {@code count}, in parallel slices. */
    static Counts count(LongFunction<String> messages, long count) {
        int slices = Math.max(1, Runtime.getRuntime().availableProcessors());
        return IntStream.range(0, slices).parallel().mapToObj(slice -> {
            Counts counts = new Counts();
            int[] seen = new int[64];
            for (long i = slice * count / slices; i < (slice + 1) * count / slices; i++) {
                scan(messages.apply(i), counts, seen);
            }
            return counts;
        }).reduce((a, b) -> {
            a.add(b);
            return a;
        }).orElseThrow();
    }

    /** The smallest value found as a whole word in {@code min..max} messages and in no other way; -1 if none. */
    static int pick(Counts counts, int min, int max) {
        for (int v = 0; v < VALUES; v++) {
            int n = counts.whole[v];
            if (n >= min && n <= max && counts.anywhere[v] == n) {
                return v;
            }
        }
        return -1;
    }

    /** Adds one message's 7-digit values to the counts, each value once per message. */
    static void scan(String message, Counts counts, int[] scratch) {
        int wholeFound = 0;
        int anyFound = 0;
        int[] found = scratch; // [0, 32): whole-word values, [32, 64): values anywhere
        int i = 0;
        int n = message.length();
        while (i < n) {
            if (!isDigit(message.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isDigit(message.charAt(i))) {
                i++;
            }
            int length = i - start;
            for (int w = start; w + DIGITS <= i && anyFound < 32; w++) {
                anyFound = addOnce(found, 32, anyFound, Integer.parseInt(message, w, w + DIGITS, 10));
            }
            boolean whole = length == DIGITS && (start == 0 || !TextTerms.isWordChar(message, start - 1))
                    && (i == n || !TextTerms.isWordChar(message, i));
            if (whole && wholeFound < 32) {
                wholeFound = addOnce(found, 0, wholeFound, Integer.parseInt(message, start, i, 10));
            }
        }
        for (int k = 0; k < wholeFound; k++) {
            counts.whole[found[k]]++;
        }
        for (int k = 0; k < anyFound; k++) {
            counts.anywhere[found[32 + k]]++;
        }
    }

    private static int addOnce(int[] found, int base, int size, int value) {
        for (int k = 0; k < size; k++) {
            if (found[base + k] == value) {
                return size;
            }
        }
        found[base + size] = value;
        return size + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
