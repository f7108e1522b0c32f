package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CodecException;
import io.timberdb.storage.codec.CompressionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The version 4 column encodings on their own: {@link BitPacking}, {@link DeltaPacking} and the
 * messages as templates and numbers ({@link MessageTemplates}, {@link MessageTemplateDecoder})
 * give back exactly what they were given, for any input, including messages built to trip them.
 */
class PageEncodingsPropertiesTest {

    @Property(tries = 300)
    void bitPackingRoundTripsValuesOfAnyWidth(@ForAll @IntRange(min = 0, max = 64) int width,
            @ForAll @Size(max = 70) List<Long> randoms) {
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long[] values = randoms.stream().mapToLong(v -> v & mask).toArray();
        ByteSink sink = new ByteSink();
        BitPacking.pack(sink, values, 0, values.length, width);
        assertThat(sink.size()).isEqualTo(BitPacking.length(values.length, width));
        long[] read = new long[values.length];
        ByteSource in = new ByteSource(sink.toByteArray());
        BitPacking.unpack(in, read, values.length, width);
        in.expectEnd("packed values");
        assertThat(read).containsExactly(values);
    }

    @Example
    void bitPackingPacksMostSignificantBitFirstAsDocumented() {
        ByteSink sink = new ByteSink();
        BitPacking.pack(sink, new long[] {0, 2, 1}, 0, 3, 2);
        assertThat(sink.toByteArray()).containsExactly(0x24);
        assertThatThrownBy(() -> BitPacking.unpack(new ByteSource(new byte[] {0x25}), new long[3], 3, 2))
                .isInstanceOf(CodecException.class).hasMessageContaining("padding");
    }

    @Property(tries = 1000)
    void deltaPackingRoundTripsAnyValuesAndRestarts(@ForAll("values") List<Long> list, @ForAll long restartBits) {
        int n = list.size();
        long[] values = list.stream().mapToLong(Long::longValue).toArray();
        boolean[] restarts = new boolean[n];
        for (int i = 0; i < n; i++) {
            restarts[i] = (restartBits >>> (i % 64) & 1) == 1;
        }
        ByteSink sink = new ByteSink();
        DeltaPacking.encode(sink, values, n, restarts, new long[n]);
        ByteSource in = new ByteSource(sink.toByteArray());
        assertThat(DeltaPacking.decode(in, n, BlockFormat.CURRENT_VERSION)).containsExactly(values);
        in.expectEnd("deltas");
    }

    /**
     * Gaps like those between random events (exponential, here with a mean of 2^k for random k up
     * to 2^32, seconds in nanoseconds; wider ones pass the {@code EXCEPTION_BITS} a code may take)
     * are what the Rice coding is for: the writer picks it, which a version 5 reader refuses, and
     * a version 6 reader reads back exactly — also with restarts and outliers among the gaps.
     */
    @Property(tries = 100)
    void deltasOfExponentialGapsAreRiceCodedAndRoundTrip(@ForAll @IntRange(min = 0, max = 32) int meanBits,
            @ForAll @IntRange(min = 64, max = 4096) int n, @ForAll long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        long[] values = new long[n];
        boolean[] restarts = new boolean[n];
        for (int i = 1; i < n; i++) {
            double gap = -Math.log(1 - random.nextDouble()) * Math.pow(2, meanBits);
            values[i] = values[i - 1] + (long) gap + (random.nextInt(500) == 0 ? 1L << 50 : 0);
            restarts[i] = random.nextInt(1000) == 0;
        }
        ByteSink sink = new ByteSink();
        DeltaPacking.encode(sink, values, n, restarts, new long[n]);
        byte[] bytes = sink.toByteArray();

        ByteSource in = new ByteSource(bytes);
        assertThat(DeltaPacking.decode(in, n, BlockFormat.RICE_VERSION)).containsExactly(values);
        in.expectEnd("deltas");
        if (meanBits >= 2) { // with next to no spread a fixed width can be as small
            assertThatThrownBy(() -> DeltaPacking.decode(new ByteSource(bytes), n, BlockFormat.RICE_VERSION - 1))
                    .isInstanceOf(CodecException.class);
        }
    }

    @Property(tries = 200)
    void unaryValuesRoundTripBetweenValuesOfAnyWidth(@ForAll @Size(max = 50) List<@IntRange(min = 0, max = 62) Integer> qs,
            @ForAll @IntRange(min = 0, max = 64) int width) {
        ByteSink sink = new ByteSink();
        BitPacking.Writer writer = new BitPacking.Writer(sink);
        for (int q : qs) {
            writer.writeUnary(q);
            writer.write(width == 0 ? 0 : -1L >>> (Long.SIZE - width), width);
        }
        writer.finish();
        BitPacking.Reader reader = new BitPacking.Reader(new ByteSource(sink.toByteArray()));
        for (int q : qs) {
            assertThat(reader.readUnary(62)).isEqualTo(q);
            assertThat(reader.read(width)).isEqualTo(width == 0 ? 0 : -1L >>> (Long.SIZE - width));
        }
        reader.finish();
    }

    /** Found by the round-trip property: an offset near 2^63 once overflowed the Rice code's length test. */
    @Example
    void anOffsetNearTheTopOfTheRangeIsAnExceptionInARiceCodedRun() {
        long[] values = {0, 0, 0, 0, 0, 1, 0, Long.MAX_VALUE - 1};
        boolean[] restarts = {false, true, true, false, false, false, false, false};
        ByteSink sink = new ByteSink();
        DeltaPacking.encode(sink, values, values.length, restarts, new long[values.length]);
        ByteSource in = new ByteSource(sink.toByteArray());
        assertThat(DeltaPacking.decode(in, values.length, BlockFormat.CURRENT_VERSION)).containsExactly(values);
        in.expectEnd("deltas");
    }

    @Example
    void aUnaryValueLongerThanAllowedOrAnOutOfRangeRiceParameterIsCorrupt() {
        BitPacking.Reader ones = new BitPacking.Reader(new ByteSource(new byte[] {-1, -1}));
        assertThatThrownBy(() -> ones.readUnary(10)).isInstanceOf(CodecException.class).hasMessageContaining("unary");
        // v[0] = 0, no exceptions, base 0, width byte 0x80 | 63
        byte[] rice = {0, 0, 0, (byte) (0x80 | 63), 0};
        assertThatThrownBy(() -> DeltaPacking.decode(new ByteSource(rice), 2, BlockFormat.RICE_VERSION))
                .isInstanceOf(CodecException.class).hasMessageContaining("Rice parameter");
    }

    @Provide
    Arbitrary<List<Long>> values() {
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<Long> extremes = Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L);
        Arbitrary<Long> near = Arbitraries.longs().between(1_700_000_000_000_000_000L, 1_700_000_001_000_000_000L);
        Arbitrary<Long> element = Arbitraries.frequencyOf(Tuple.of(1, any), Tuple.of(1, extremes), Tuple.of(4, near));
        return element.list().ofMinSize(1).ofMaxSize(100);
    }

    /** Encodes pages of {@code pageSize} messages with one block's template table, decodes them and returns the messages. */
    private static List<String> roundTrip(List<String> messages, int pageSize, Codec codec) {
        List<String> decoded = new ArrayList<>();
        for (MessageTemplateDecoder.PageMessages page : encodeAndDecode(messages, pageSize, codec)) {
            decoded.addAll(List.of(page.messages()));
        }
        return decoded;
    }

    /** Decodes a messages column to its end, numbers and all, as reading a whole page does. */
    private static MessageTemplateDecoder.PageMessages decodeWhole(ByteSource in, int n, TemplateTable table) {
        MessageTemplateDecoder.PageMessages messages = MessageTemplateDecoder.decode(in, n, table);
        messages.check();
        return messages;
    }

    /** Encodes pages of {@code pageSize} messages with one block's template table and decodes them. */
    private static List<MessageTemplateDecoder.PageMessages> encodeAndDecode(List<String> messages, int pageSize, Codec codec) {
        MessageTemplates encoder = new MessageTemplates();
        List<byte[]> columns = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += pageSize) {
            ByteSink column = new ByteSink();
            encoder.encode(entries(messages.subList(from, Math.min(messages.size(), from + pageSize))), column);
            columns.add(column.toByteArray());
        }
        ByteSink tableBytes = new ByteSink();
        encoder.writeTable(tableBytes, new CompressionSettings(codec, codec == Codec.NONE ? 0 : 1, 16));
        ByteSource tableIn = new ByteSource(tableBytes.toByteArray());
        TemplateTable table = TemplateTable.read(tableIn, codec);
        tableIn.expectEnd("template table");
        List<MessageTemplateDecoder.PageMessages> decoded = new ArrayList<>();
        for (int page = 0; page < columns.size(); page++) {
            ByteSource in = new ByteSource(columns.get(page));
            int n = Math.min(pageSize, messages.size() - page * pageSize);
            decoded.add(decodeWhole(in, n, table));
            in.expectEnd("messages");
        }
        return decoded;
    }

    /**
     * A template's verdict on a text never contradicts a search of the message itself: ALWAYS
     * only when every message of the template contains it, NEVER only when none does — for texts
     * cut from the messages (across numbers too), in either case, and for arbitrary ones.
     */
    @Property(tries = 300)
    void templateVerdictsAgreeWithSearchingTheMessages(@ForAll("messages") List<String> messages,
            @ForAll("needles") List<String> extraNeedles, @ForAll long seed, @ForAll boolean ignoreCase) {
        java.util.Random random = new java.util.Random(seed);
        List<String> needles = new ArrayList<>(extraNeedles);
        for (String m : messages) {
            if (!m.isEmpty()) {
                int from = random.nextInt(m.length());
                String cut = m.substring(from, from + 1 + random.nextInt(Math.min(12, m.length() - from)));
                needles.add(random.nextBoolean() ? cut : cut.toUpperCase(java.util.Locale.ROOT));
            }
        }
        for (MessageTemplateDecoder.PageMessages page : encodeAndDecode(messages, 16, Codec.LZ4)) {
            for (String raw : needles) {
                String needle = ignoreCase ? io.timberdb.model.query.TextTerms.asciiLowerCase(raw) : raw;
                for (int e = 0; e < page.templates().length; e++) {
                    String message = page.message(e);
                    boolean contains = ignoreCase ? io.timberdb.model.query.TextTerms.asciiLowerCase(message).contains(needle)
                            : message.contains(needle);
                    byte verdict = page.table().containsVerdict(page.blockTemplate(e), needle, ignoreCase);
                    byte[] bytes = TemplateSearch.utf8(needle);
                    TemplateTable.Search search = page.table().search(needle, ignoreCase);
                    int holds = bytes == null || verdict != TemplateSearch.MAYBE ? -1 : page.holdsNumber(e, search, bytes.length);
                    if (holds >= 0) {
                        assertThat(holds == 1).as("%s in the numbers of %s", needle, message).isEqualTo(contains);
                    }
                    if (bytes != null) {
                        boolean[] found = new boolean[1];
                        page.contains(e, bytes, ignoreCase, new byte[1], found);
                        assertThat(found[0]).as("%s in the bytes of %s", needle, message).isEqualTo(contains);
                    }
                    if (verdict == TemplateSearch.ALWAYS) {
                        assertThat(contains).as("ALWAYS for %s in %s", needle, message).isTrue();
                    } else if (verdict == TemplateSearch.NEVER) {
                        assertThat(contains).as("NEVER for %s in %s", needle, message).isFalse();
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<String>> needles() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcdefxyz :=-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("user", "logged in", "1 l", "0x", "ff", "\u00e9", "\uD800", "", "0", "00", "007", "12", "99"),
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(5)).list().ofMaxSize(6);
    }

    @Example
    void templatesSettleMostSearchesWithoutBuildingAMessage() {
        List<String> messages = List.of("user 17 logged in", "user 4242 logged in", "session 0x1f closed");
        MessageTemplateDecoder.PageMessages page = encodeAndDecode(messages, 16, Codec.LZ4).get(0);
        TemplateTable table = page.table();
        int user = page.blockTemplate(0);
        assertThat(page.blockTemplate(1)).isEqualTo(user);
        assertThat(table.containsVerdict(user, "logged in", false)).isEqualTo(TemplateSearch.ALWAYS);
        assertThat(table.containsVerdict(user, "closed", false)).isEqualTo(TemplateSearch.NEVER);
        assertThat(table.containsVerdict(user, "user 4", false)).as("may run into the number").isEqualTo(TemplateSearch.MAYBE);
        assertThat(table.containsVerdict(user, "r 17 l", false)).isEqualTo(TemplateSearch.MAYBE);
        assertThat(table.containsVerdict(user, "user x", false)).isEqualTo(TemplateSearch.NEVER);
        assertThat(table.containsVerdict(user, "user", true)).isEqualTo(TemplateSearch.ALWAYS);
        TemplateTable.Search number = table.search("424", false);
        assertThat(number.verdict(user)).isEqualTo(TemplateSearch.MAYBE);
        assertThat(number.slotWidths(user)).as("one number between spaces").containsExactly(1);
        assertThat(page.holdsNumber(0, number, 3)).as("17 lacks 424").isZero();
        assertThat(page.holdsNumber(1, number, 3)).as("4242 holds 424").isEqualTo(1);
        assertThat(table.search("0", false).slotWidths(page.blockTemplate(2))).as("a hex slot: no").isEmpty();
    }

    private static List<LogEntry> entries(List<String> messages) {
        return messages.stream().map(m -> new LogEntry("id", Instant.EPOCH, "source", Map.of(), m)).toList();
    }

    @Property(tries = 500)
    void messagesRoundTripThroughTemplatesAndNumbers(@ForAll("messages") List<String> messages,
            @ForAll @IntRange(min = 1, max = 20) int pageSize, @ForAll Codec codec) {
        assertThat(roundTrip(messages, pageSize, codec))
                .containsExactlyElementsOf(messages.stream().map(SealedEntries::wellFormed).toList());
    }

    @Example
    void messagesOfOneTemplateShareItAndKeepTheirNumbersAndPadding() {
        List<String> messages = List.of("took 0042 ms, 7 retries", "took 0913 ms, 12 retries", "took 0000 ms, 0 retries",
                "\u0001\u0002\u0003 0 00 " + "9".repeat(18) + " " + "1".repeat(19) + " 0" + "9".repeat(17));
        MessageTemplates encoder = new MessageTemplates();
        ByteSink column = new ByteSink();
        encoder.encode(entries(messages), column);
        ByteSink table = new ByteSink();
        encoder.writeTable(table, CompressionSettings.of(Codec.NONE));
        byte[] template = {'t', 'o', 'o', 'k', ' ', 2, 4, ' ', 'm', 's', ',', ' ', 1, ' ', 'r', 'e', 't', 'r', 'i', 'e', 's'};
        byte[] tableBytes = table.toByteArray();
        assertThat(tableBytes[3]).as("two templates").isEqualTo((byte) 2);
        assertThat(tableBytes[4]).isEqualTo((byte) template.length);
        assertThat(Arrays.copyOfRange(tableBytes, 5, 5 + template.length)).containsExactly(template);
        // two templates (ids 0 and 1: gaps 0 0), 1-bit indexes 0 0 0 1, then the numbers of template 0's two slots
        assertThat(column.toByteArray()).startsWith(2, 0, 0, 1, 0x10);
        assertThat(roundTrip(messages, 4, Codec.NONE)).containsExactlyElementsOf(messages);
    }

    @Example
    void templatesAndNumbersTheEncoderCannotWriteAreCorrupt() {
        for (byte[] template : List.of(new byte[] {2, 1}, new byte[] {2, 20}, new byte[] {2}, new byte[] {3, 1},
                new byte[] {3, 17}, new byte[] {4, 'a'}, new byte[] {4, 5}, new byte[] {4})) {
            ByteSink content = new ByteSink();
            content.varint(1).varint(template.length).bytes(template);
            ByteSink sink = new ByteSink();
            TemplateTable.write(sink, content.toByteArray(), content.size(), CompressionSettings.of(Codec.NONE));
            TemplateTable table = TemplateTable.read(new ByteSource(sink.toByteArray()), Codec.NONE);
            byte[] column = {1, 0, 0}; // one entry of template 0
            assertThatThrownBy(() -> decodeWhole(new ByteSource(column), 1, table))
                    .as(Arrays.toString(template)).isInstanceOf(CodecException.class);
        }
        ByteSink content = new ByteSink(); // one template: a padded slot of width 2
        content.varint(1).varint(2).bytes(new byte[] {2, 2});
        ByteSink sink = new ByteSink();
        TemplateTable.write(sink, content.toByteArray(), content.size(), CompressionSettings.of(Codec.NONE));
        TemplateTable table = TemplateTable.read(new ByteSource(sink.toByteArray()), Codec.NONE);
        // template 0, 0-bit indexes, then bits 0000100 0 1010: number 10 in 4 bits, which does not start with 0
        ByteSink column = new ByteSink();
        column.varint(1).varint(0).u8(0).u8(0x08).u8(0xA0);
        assertThatThrownBy(() -> decodeWhole(new ByteSource(column.toByteArray()), 1, table))
                .isInstanceOf(CodecException.class).hasMessageContaining("does not start with 0");
        ByteSink unknown = new ByteSink(); // template 1 of a table of 1
        unknown.varint(1).varint(1).u8(0);
        assertThatThrownBy(() -> decodeWhole(new ByteSource(unknown.toByteArray()), 1, table))
                .isInstanceOf(CodecException.class).hasMessageContaining("not below the block's 1");
    }

    @Provide
    Arbitrary<List<String>> messages() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("0", "00", "007", "0".repeat(18), "0".repeat(19), "0".repeat(20), "9".repeat(19),
                        "1" + "0".repeat(18), "18446744073709551615", "18446744073709551616", "0x1fc0", "deadbeef",
                        "ffffffffffffffff", "0fffffffffffffff0", "a1", "1e5", "ABC1", "\u0001", "\u0002", "\u0003",
                        "\u0004", "\u0002\u0012", "\u0000"),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars("aZ -:=/.é日\uD83D\uDE00\uD800\uDC00\u0001\u0002\u0003\u0004")
                        .ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(6));
        Arbitrary<String> message = pieces.list().ofMaxSize(8).map(list -> String.join("", list));
        Arbitrary<String> repeated = Arbitraries.integers().between(0, 99_999).map(i -> "user " + i + " logged in");
        return Arbitraries.frequencyOf(Tuple.of(3, message), Tuple.of(1, repeated), Tuple.of(1, Arbitraries.just("")))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 100)
    void uuid7IdsRoundTripThroughABlock(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 4095) Integer> sequences,
            @ForAll long lowA, @ForAll long lowB, @ForAll boolean twoGenerators) throws Exception {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            long high = (1_720_000_000_000L + i / 3) << 16 | 0x7000 | sequences.get(i);
            long low = twoGenerators && i % 2 == 1 ? lowB : lowA;
            entries.add(new LogEntry(new UUID(high, low).toString(), Instant.EPOCH.plusMillis(i), "s" + i % 2, Map.of(), "m"));
        }
        Path dir = Files.createTempDirectory("uuid7");
        Path file = dir.resolve("b.tblk");
        try {
            new BlockWriter(BlockOptions.DEFAULTS.withPageEntries(16)).write(file, entries);
            try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
                List<LogEntry> read = new ArrayList<>();
                for (int page = 0; page < reader.pageCount(); page++) {
                    read.addAll(reader.readPage(page));
                }
                assertThat(read).containsExactlyElementsOf(BlockArbitraries.storedAndSorted(entries));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }
}
