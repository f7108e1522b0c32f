package io.timberdb.model.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Version 1 as shipped (golden fixtures), and what is not a sketch. */
class HyperLogLogFormatTest {

    /** Version 1, exact form, of "a", "b", "c". */
    private static final String V1_EXACT_ABC = "SEwBDgAAAAADhVVVZfZZeImOON9sSh9013qYqVex09Hu";
    /** Version 1, exact form, empty. */
    private static final String V1_EMPTY = "SEwBDgAAAAAA";
    /** Version 1, register form, of "user-0" to "user-9999". */
    private static final String V1_REGISTERS_FIXTURE = "/sketch/hll-v1-registers-user-0-9999.b64";

    @Test
    void readsAndWritesVersionOneExactSketches() {
        HyperLogLog abc = new HyperLogLog();
        abc.add("c");
        abc.add("a");
        abc.add("b");
        assertThat(abc.toBase64()).isEqualTo(V1_EXACT_ABC);
        assertThat(HyperLogLog.fromBase64(V1_EXACT_ABC).estimate()).isEqualTo(3);
        assertThat(new HyperLogLog().toBase64()).isEqualTo(V1_EMPTY);
        assertThat(HyperLogLog.fromBase64(V1_EMPTY).estimate()).isZero();
    }

    @Test
    void readsAndWritesVersionOneRegisterSketches() throws IOException {
        String golden = fixture(V1_REGISTERS_FIXTURE);
        HyperLogLog read = HyperLogLog.fromBase64(golden);
        assertThat(read.isExact()).isFalse();
        assertThat(read.estimate()).isEqualTo(9_988);
        assertThat(HyperLogLogTest.sketch("user-", 10_000).toBase64()).isEqualTo(golden);
    }

    @Test
    void rejectsAFormatVersionItDoesNotKnowWithItsOwnException() {
        for (int version : new int[] {0, 2, 255}) {
            byte[] bytes = exact();
            bytes[HyperLogLogFormat.VERSION_OFFSET] = (byte) version;
            assertThatThrownBy(() -> HyperLogLog.fromBytes(bytes))
                    .isInstanceOfSatisfying(UnsupportedSketchVersionException.class, e -> assertThat(e.version()).isEqualTo(version))
                    .hasMessageContaining("reads 1..1");
        }
    }

    @Test
    void rejectsAWrongHeader() {
        assertCorrupt(Arrays.copyOf(exact(), 3), "shorter than the header");
        assertCorrupt(with(exact(), HyperLogLogFormat.MAGIC_OFFSET, 'X'), "magic");
        assertCorrupt(with(exact(), HyperLogLogFormat.PRECISION_OFFSET, 12), "precision 12");
        assertCorrupt(with(exact(), HyperLogLogFormat.FORM_OFFSET, 2), "form 2");
    }

    @Test
    void rejectsABrokenExactSketch() {
        byte[] abc = exact();
        assertCorrupt(Arrays.copyOf(abc, HyperLogLogFormat.COUNT_OFFSET + 2), "lacks its count");
        assertCorrupt(Arrays.copyOf(abc, abc.length - 1), "takes 32 bytes, its header says 33");
        assertCorrupt(Arrays.copyOf(abc, abc.length + 8), "takes 41 bytes");
        ByteBuffer tooMany = ByteBuffer.wrap(abc.clone()).putInt(HyperLogLogFormat.COUNT_OFFSET, HyperLogLog.EXACT_LIMIT + 1);
        assertCorrupt(tooMany.array(), "1537 hashes");
        ByteBuffer negative = ByteBuffer.wrap(abc.clone()).putInt(HyperLogLogFormat.COUNT_OFFSET, -1);
        assertCorrupt(negative.array(), "-1 hashes");
        ByteBuffer repeated = ByteBuffer.wrap(abc.clone());
        repeated.putLong(HyperLogLogFormat.HASHES_OFFSET + 8, repeated.getLong(HyperLogLogFormat.HASHES_OFFSET));
        assertCorrupt(repeated.array(), "hash 1 is not above");
    }

    @Test
    void rejectsABrokenRegisterSketch() throws IOException {
        byte[] registers = HyperLogLog.fromBase64(fixture(V1_REGISTERS_FIXTURE)).toBytes();
        assertCorrupt(Arrays.copyOf(registers, registers.length - 1), "its header says 12293");
        assertCorrupt(Arrays.copyOf(registers, registers.length + 1), "takes 12294 bytes");
        // the first register (the top 6 bits of the body) set to 63: no 64-bit hash has that rank
        assertCorrupt(with(registers, HyperLogLogFormat.REGISTERS_OFFSET, 0xFC), "register 0 holds 63");
    }

    @Test
    void rejectsTextThatIsNotBase64() {
        assertThatThrownBy(() -> HyperLogLog.fromBase64("not base64!"))
                .isInstanceOf(SketchFormatException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> HyperLogLog.fromBase64(""))
                .isInstanceOf(SketchFormatException.class).hasMessageContaining("0 bytes");
    }

    private static byte[] exact() {
        return HyperLogLog.fromBase64(V1_EXACT_ABC).toBytes();
    }

    private static byte[] with(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static void assertCorrupt(byte[] bytes, String reason) {
        assertThatThrownBy(() -> HyperLogLog.fromBytes(bytes))
                .isExactlyInstanceOf(SketchFormatException.class).hasMessageContaining(reason);
    }

    private static String fixture(String resource) throws IOException {
        try (InputStream in = HyperLogLogFormatTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
