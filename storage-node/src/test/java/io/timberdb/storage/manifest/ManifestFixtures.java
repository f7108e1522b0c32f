package io.timberdb.storage.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Regenerates the golden manifest of the current format version: run only when adding a version. */
final class ManifestFixtures {

    private ManifestFixtures() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("storage-node/src/test/resources/manifest/v" + ManifestFormat.CURRENT_VERSION + "/MANIFEST");
        Files.createDirectories(out.getParent());
        Files.write(out, ManifestFormat.encode(Manifest.EMPTY.withBlock(ManifestFileTest.FIRST).withBlock(ManifestFileTest.SECOND)));
        System.out.println("wrote " + out);
    }
}
