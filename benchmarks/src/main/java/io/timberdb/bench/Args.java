package io.timberdb.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} command-line options, for the benchmark tools.
 * Not thread-safe; used once per main.
 */
public final class Args {

    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code argv}; {@code flags} are the options that take no value ({@code --help} always is one).
     *
     * @throws IllegalArgumentException on a stray word or a missing value
     */
    public static Args parse(String[] argv, List<String> flags) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name) || name.equals("help")) {
                value = "true";
            } else {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = argv[++i];
            }
            values.put(name, value);
        }
        return new Args(values);
    }

    public boolean has(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    public String required(String name) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    public long longValue(String name, long fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    /** A count that may be written 10000, 10_000, 10k, 1M or 10m. */
    public long count(String name, long fallback) {
        String v = get(name, null);
        return v == null ? fallback : parseCount(name, v);
    }

    static long parseCount(String name, String v) {
        String t = v.trim().replace("_", "").toLowerCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k")) {
            factor = 1_000;
        } else if (t.endsWith("m")) {
            factor = 1_000_000;
        } else if (t.endsWith("g")) {
            factor = 1_000_000_000;
        }
        if (factor > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--" + name + " must be a count like 10000, 10k or 1M, was '" + v + "'");
        }
    }

    /** Fails on any option no getter asked for (a typo should not silently run the default). */
    public void rejectUnknown() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
