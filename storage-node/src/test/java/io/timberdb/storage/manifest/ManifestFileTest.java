package io.timberdb.storage.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestFileTest {

    static final BlockRef FIRST = new BlockRef("00000000000000000000.blk", 0, 1000,
            Instant.parse("2026-11-26T00:00:00Z"), Instant.parse("2026-11-26T00:59:59.123456789Z"), 1000, 65536, 1, false);
    static final BlockRef SECOND = new BlockRef("00000000000000001000.blk", 1000, 1500,
            Instant.parse("2026-11-26T01:00:00Z"), Instant.parse("2026-11-26T01:30:00Z"), 500, 32768, 2, false);

    @TempDir
    Path dir;

    @Test
    void aShardThatNeverSealedHasTheEmptyManifest() throws IOException {
        assertThat(new ManifestFile(dir).load()).isEqualTo(Manifest.EMPTY);
        assertThat(new ManifestFile(dir.resolve("missing")).load()).isEqualTo(Manifest.EMPTY);
    }

    @Test
    void roundTripsBlocksAndTheSealedSequence() throws IOException {
        Manifest m = Manifest.EMPTY.withBlock(FIRST).withBlock(SECOND).withQuarantined(FIRST.name());
        new ManifestFile(dir).save(m);
        Manifest loaded = new ManifestFile(dir).load();
        assertThat(loaded).isEqualTo(m);
        assertThat(loaded.generation()).isEqualTo(3);
        assertThat(loaded.sealedThrough()).isEqualTo(1500);
        assertThat(loaded.readable()).containsExactly(SECOND);
    }

    @Test
    void aBlockMustContinueTheSealedSequence() {
        assertThatThrownBy(() -> Manifest.EMPTY.withBlock(SECOND)).hasMessageContaining("sealed through 0");
    }

    @Test
    void matchesTheGoldenFileOfVersion1() throws IOException {
        Manifest m = Manifest.EMPTY.withBlock(FIRST).withBlock(SECOND);
        byte[] golden = Files.readAllBytes(Path.of("src/test/resources/manifest/v1/MANIFEST"));
        assertThat(ManifestFormat.encode(m)).as("the v1 writer's bytes changed: bump the version").isEqualTo(golden);
        assertThat(ManifestFormat.decode(golden, "golden")).isEqualTo(m);
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] bytes = ManifestFormat.encode(Manifest.EMPTY.withBlock(FIRST).withBlock(SECOND));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> ManifestFormat.decode(flipped, "flipped")).isInstanceOf(CorruptManifestException.class);
        }
    }

    @Test
    void truncationsAndJunkAreRejected() {
        byte[] bytes = ManifestFormat.encode(Manifest.EMPTY.withBlock(FIRST));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ManifestFormat.decode(cut, "cut")).isInstanceOf(CorruptManifestException.class);
        }
        assertThatThrownBy(() -> ManifestFormat.decode(new byte[64], "junk")).hasMessageContaining("bad magic");
    }

    @ParameterizedTest
    @ValueSource(strings = {"write-temp", "force-temp", "rename", "force-directory"})
    void aCrashAtAnyStepOfASaveLeavesTheOldOrTheNewManifest(String step) throws IOException {
        Manifest old = Manifest.EMPTY.withBlock(FIRST);
        Manifest next = old.withBlock(SECOND);
        new ManifestFile(dir).save(old);
        ManifestFile crashing = new ManifestFile(dir, s -> {
            if (s.equals(step)) {
                throw new UncheckedIOException(new IOException("crash before " + s));
            }
        });
        assertThatThrownBy(() -> crashing.save(next)).isInstanceOf(UncheckedIOException.class);

        Manifest after = new ManifestFile(dir).load();
        assertThat(after).isIn(old, next);
        if (step.equals("force-directory")) {
            assertThat(after).isEqualTo(next); // renamed: the new one is in place
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("MANIFEST");
        }
        assertThat(List.of(after.blocks().get(0))).containsExactly(FIRST);
    }
}
