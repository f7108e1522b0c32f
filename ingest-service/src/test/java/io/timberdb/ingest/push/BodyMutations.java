package io.timberdb.ingest.push;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Random mutations of valid request bodies, for the push routes' fuzz properties. */
public final class BodyMutations {

    private BodyMutations() {
    }

    /** {@code valid} truncated, with up to 4 bytes overwritten, inserted or deleted, or both. */
    public static Arbitrary<byte[]> of(byte[] valid) {
        // a third of the bodies are truncated, the rest keep their length
        Arbitrary<Integer> cut = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, valid.length)),
                Tuple.of(2, Arbitraries.just(valid.length)));
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, valid.length), Arbitraries.integers().between(0, 255))
                .as((kind, at, value) -> new int[] {kind, at, value}).list().ofMaxSize(4);
        return Combinators.combine(cut, edits).as((length, changes) -> mutate(valid, length, changes));
    }

    private static byte[] mutate(byte[] valid, int length, List<int[]> changes) {
        byte[] bytes = Arrays.copyOf(valid, length);
        for (int[] change : changes) {
            int at = Math.min(change[1], bytes.length);
            byte value = (byte) change[2];
            bytes = switch (change[0]) {
                case 0 -> {
                    if (at < bytes.length) {
                        bytes[at] = value;
                    }
                    yield bytes;
                }
                case 1 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = value;
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    yield longer;
                }
                default -> {
                    if (at == bytes.length) {
                        yield bytes;
                    }
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    yield shorter;
                }
            };
        }
        return bytes;
    }
}
