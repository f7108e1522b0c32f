package io.timberdb.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's contract: same seed, same entries, whatever the order or chunking; the shape of each entry. */
class LoghubGeneratorTest {

    private static List<LoghubSamples.SystemSamples> samples;

    @BeforeAll
    static void load() throws URISyntaxException {
        samples = LoghubSamples.load(Path.of(LoghubGeneratorTest.class.getResource("/loghub-fixture").toURI()));
    }

    @Test
    void samplesComeFromTheStructuredCsvWhenPresentElseFromTheRawLines() {
        assertThat(samples).extracting(LoghubSamples.SystemSamples::name).containsExactly("Alpha", "Beta");
        LoghubSamples.SystemSamples alpha = samples.get(0);
        assertThat(alpha.structured()).isTrue();
        assertThat(alpha.lines()).extracting(LoghubSamples.Line::level).containsExactly("info", "warn", "error");
        assertThat(alpha.lines().get(1).component()).isEqualTo("worker-2");
        assertThat(alpha.lines().get(1).message()).isEqualTo("Queue depth 1200 above 1000, \"high\"");
        LoghubSamples.SystemSamples beta = samples.get(1);
        assertThat(beta.structured()).isFalse();
        assertThat(beta.lines()).extracting(LoghubSamples.Line::level).containsExactly("error", "notice", "info");
        assertThat(beta.lines()).allSatisfy(l -> assertThat(l.component()).isNull());
    }

    @Test
    void theSameSeedGivesTheSameEntriesInAnyOrder() {
        LoghubGenerator a = new LoghubGenerator(samples, 7, 5_000);
        LoghubGenerator b = new LoghubGenerator(samples, 7, 5_000);
        List<GeneratedEntry> forward = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            forward.add(a.entry(i));
        }
        for (int i = 4_999; i >= 0; i--) {
            assertThat(b.entry(i)).isEqualTo(forward.get(i));
        }
        LoghubGenerator other = new LoghubGenerator(samples, 8, 5_000);
        long differing = forward.stream().filter(e -> !e.equals(other.entry(e.index()))).count();
        assertThat(differing).isGreaterThan(4_900);
    }

    @Test
    void timestampsStrictlyIncreaseInsideTheWindow() {
        Instant end = Instant.parse("2026-11-01T00:00:00Z");
        LoghubGenerator g = new LoghubGenerator(samples, 1, 20_000, end, Duration.ofHours(24), 4);
        Instant previous = end.minus(Duration.ofHours(24)).minusNanos(1);
        for (int i = 0; i < 20_000; i++) {
            Instant t = g.entry(i).timestamp();
            assertThat(t).isAfter(previous).isBefore(end);
            previous = t;
        }
    }

    @Test
    void digitRunsAreReRandomisedWithTheirLengths() {
        SplittableRandom random = new SplittableRandom(3);
        String original = "Job 4711 failed after 3 retries on node-0042 at 10.0.0.7";
        String changed = LoghubGenerator.rerandomiseDigits(original, random);
        assertThat(changed).hasSameSizeAs(original).isNotEqualTo(original);
        for (int i = 0; i < original.length(); i++) {
            assertThat(Character.isDigit(changed.charAt(i))).isEqualTo(Character.isDigit(original.charAt(i)));
            if (!Character.isDigit(original.charAt(i))) {
                assertThat(changed.charAt(i)).isEqualTo(original.charAt(i));
            }
        }
        assertThat(changed.substring(4, 5)).isNotEqualTo("0"); // 4711 stays a four-digit number
        assertThat(LoghubGenerator.rerandomiseDigits("no digits", random)).isEqualTo("no digits");
    }

    @Test
    void entriesCarryTheSystemTagsAndAHostOfTheSystemsPool() {
        LoghubGenerator g = new LoghubGenerator(samples, 11, 1_000, Instant.parse("2026-11-01T00:00:00Z"),
                Duration.ofHours(1), 3);
        for (int i = 0; i < 1_000; i++) {
            GeneratedEntry e = g.entry(i);
            assertThat(e.source()).matches(e.system().toLowerCase() + "-node-0[1-3]");
            assertThat(e.tags()).containsEntry("system", e.system()).containsEntry("level", e.level());
            assertThat(e.appendNdjson(new StringBuilder()).toString())
                    .startsWith("{\"timestamp\":\"2026-10-31T2").endsWith("}\n").doesNotContain("\n{");
            assertThat(e.appendClickHouseRow(new StringBuilder()).toString())
                    .startsWith("{\"ts\":\"2026-10-31 2").contains("\"ts_nanos\":" + e.nano() + ",");
        }
    }

    @Test
    void theCommandLineWritesTheSameFilesTwiceAndSkipsAnUpToDateDataSet(@TempDir Path tmp)
            throws IOException, URISyntaxException {
        String fixture = Path.of(getClass().getResource("/loghub-fixture").toURI()).toString();
        String[] args = {"--samples", fixture, "--count", "2500", "--chunk-entries", "1000", "--seed", "5",
                "--threads", "2", "--out", tmp.resolve("a").toString()};
        assertThat(GenerateCommand.run(args)).isZero();
        args[args.length - 1] = tmp.resolve("b").toString();
        assertThat(GenerateCommand.run(args)).isZero();
        for (GenerateCommand.Format f : GenerateCommand.Format.values()) {
            for (int c = 0; c < 3; c++) {
                String name = GenerateCommand.chunkName(c, f);
                assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f.dir).resolve(name)))
                        .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f.dir).resolve(name)));
            }
            assertThat(Files.readAllLines(tmp.resolve("a").resolve(f.dir).resolve(GenerateCommand.chunkName(2, f))))
                    .hasSize(500);
        }
        // on-the-fly generation gives the same lines as the files
        LoghubGenerator g = new LoghubGenerator(LoghubSamples.load(Path.of(fixture)), 5, 2500);
        assertThat(Files.readAllLines(tmp.resolve("a/timberdb").resolve(GenerateCommand.chunkName(1, GenerateCommand.Format.TIMBERDB))).get(0) + "\n")
                .isEqualTo(g.entry(1000).appendNdjson(new StringBuilder()).toString());
        Path manifest = tmp.resolve("a").resolve(GenerateCommand.MANIFEST);
        long modified = Files.getLastModifiedTime(manifest).toMillis();
        args[args.length - 1] = tmp.resolve("a").toString();
        assertThat(GenerateCommand.run(args)).isZero();
        assertThat(Files.getLastModifiedTime(manifest).toMillis()).isEqualTo(modified);
    }

    @Test
    void levelsAreNormalised() {
        assertThat(LoghubSamples.normalizeLevel("I")).isEqualTo("info");
        assertThat(LoghubSamples.normalizeLevel("WARNING")).isEqualTo("warn");
        assertThat(LoghubSamples.normalizeLevel("SEVERE")).isEqualTo("error");
        assertThat(LoghubSamples.normalizeLevel("FATAL")).isEqualTo("fatal");
        assertThat(LoghubSamples.normalizeLevel("combo")).isEqualTo("info");
        assertThat(LoghubSamples.normalizeLevel(null)).isEqualTo("info");
    }

    @Test
    void aWindowShorterThanOneNanosecondPerEntryIsRefused() {
        assertThatThrownBy(() -> new LoghubGenerator(samples, 1, 1_000, Instant.EPOCH, Duration.ofNanos(999), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
