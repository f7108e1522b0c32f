package io.timberdb.bench.data;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Expands the loghub samples into any number of entries, deterministically from a seed: entry
 * {@code i} depends only on (samples, seed, count, window, i), so the data set can be generated
 * in any order, in parallel, in chunks or on the fly, and is always the same.
 *
 * <p>For each entry: a sample line chosen uniformly among all systems' lines; every run of
 * digits inside its message replaced by random digits of the same length (a leading non-zero
 * digit stays non-zero); a source drawn from the system's pool of hosts ({@code hdfs-node-01} …);
 * tags {@code system}, {@code level} (normalised, see {@link LoghubSamples#normalizeLevel}) and
 * {@code component} when the sample names one; a timestamp in {@code [end - window, end)}: entry
 * {@code i} falls in the {@code i}-th of {@code count} equal slots at a random offset within it,
 * so timestamps strictly increase with the index.
 *
 * <p>Immutable; thread-safe. The command line ({@link GenerateCommand}) writes chunked files.
 */
public final class LoghubGenerator {

    public static final long DEFAULT_SEED = 42;
    /** A fixed instant, so that the default data set does not depend on the day it is generated. */
    public static final Instant DEFAULT_END = Instant.parse("2026-11-01T00:00:00Z");
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_HOSTS_PER_SYSTEM = 8;
    /** The largest data set: count² must fit a long for the slot arithmetic. */
    public static final long MAX_COUNT = 3_000_000_000L;

    private final long seed;
    private final long count;
    private final long startEpochNanosOffset; // relative to startSecond
    private final long startSecond;
    private final long slotNanos;
    private final long slotRemainder;
    private final LoghubSamples.Line[] lines;
    private final String[] lineSystem;
    private final String[][] lineHosts;
    private final int systems;

    /**
     * @param samples the systems' sample lines (see {@link LoghubSamples#load})
     * @param seed the seed; the same seed gives the same entries
     * @param count how many entries the data set has (the timestamps are spread over them)
     * @param end the exclusive end of the time window
     * @param window the time window's length; at least one nanosecond per entry
     * @param hostsPerSystem the size of each system's pool of sources
     */
    public LoghubGenerator(List<LoghubSamples.SystemSamples> samples, long seed, long count, Instant end,
                           Duration window, int hostsPerSystem) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be 1.." + MAX_COUNT + ", was " + count);
        }
        if (hostsPerSystem < 1 || hostsPerSystem > 999) {
            throw new IllegalArgumentException("hostsPerSystem must be 1..999, was " + hostsPerSystem);
        }
        long windowNanos = window.toNanos();
        if (windowNanos < count) {
            throw new IllegalArgumentException("the window " + window + " is shorter than one nanosecond per entry");
        }
        this.seed = seed;
        this.count = count;
        Instant start = end.minus(window);
        this.startSecond = start.getEpochSecond();
        this.startEpochNanosOffset = start.getNano();
        this.slotNanos = windowNanos / count;
        this.slotRemainder = windowNanos % count;
        List<LoghubSamples.Line> all = new ArrayList<>();
        List<String> systemOf = new ArrayList<>();
        List<String[]> hostsOf = new ArrayList<>();
        for (LoghubSamples.SystemSamples system : samples) {
            String[] hosts = hosts(system.name(), hostsPerSystem);
            for (LoghubSamples.Line line : system.lines()) {
                all.add(line);
                systemOf.add(system.name());
                hostsOf.add(hosts);
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no sample lines");
        }
        this.lines = all.toArray(new LoghubSamples.Line[0]);
        this.lineSystem = systemOf.toArray(new String[0]);
        this.lineHosts = hostsOf.toArray(new String[0][]);
        this.systems = samples.size();
    }

    /** A generator with the default window, end and host pools. */
    public LoghubGenerator(List<LoghubSamples.SystemSamples> samples, long seed, long count) {
        this(samples, seed, count, DEFAULT_END, DEFAULT_WINDOW, DEFAULT_HOSTS_PER_SYSTEM);
    }

    /** The entries in the data set. */
    public long count() {
        return count;
    }

    /** The systems sampled. */
    public int systems() {
        return systems;
    }

    /** The sample lines sampled from. */
    public int sampleLines() {
        return lines.length;
    }

    /** Entry {@code index} (0 ≤ index &lt; count) of the data set. */
    public GeneratedEntry entry(long index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("entry " + index + " of " + count);
        }
        SplittableRandom random = new SplittableRandom(mix64(mix64(seed) + index));
        int pick = random.nextInt(lines.length);
        LoghubSamples.Line line = lines[pick];
        String[] hosts = lineHosts[pick];
        String source = hosts[random.nextInt(hosts.length)];
        // slot start = floor(index * windowNanos / count), without overflow
        long slotStart = index * slotNanos + (index * slotRemainder) / count;
        long offset = slotNanos > 1 ? random.nextLong(slotNanos) : 0;
        long nanos = startEpochNanosOffset + slotStart + offset;
        long second = startSecond + Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        String message = rerandomiseDigits(line.message(), random);
        return new GeneratedEntry(index, second, nano, lineSystem[pick], source, line.level(), line.component(),
                message);
    }

    /**
     * Replaces every digit of {@code text} with a random digit; the first digit of a run of
     * several stays non-zero when it was, so numbers keep their length.
     */
    static String rerandomiseDigits(String text, SplittableRandom random) {
        char[] chars = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            if (chars == null) {
                chars = text.toCharArray();
            }
            boolean runStart = i == 0 || !isDigit(text.charAt(i - 1));
            boolean runOfSeveral = i + 1 < n && isDigit(text.charAt(i + 1));
            if (runStart && runOfSeveral && c != '0') {
                chars[i] = (char) ('1' + random.nextInt(9));
            } else {
                chars[i] = (char) ('0' + random.nextInt(10));
            }
        }
        return chars == null ? text : new String(chars);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String[] hosts(String system, int count) {
        String base = system.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
        String[] hosts = new String[count];
        for (int i = 0; i < count; i++) {
            hosts[i] = String.format(Locale.ROOT, "%s-node-%02d", base, i + 1);
        }
        return hosts;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as SplittableRandom uses. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The command line: see {@link GenerateCommand}. */
    public static void main(String[] args) {
        System.exit(GenerateCommand.run(args));
    }
}
