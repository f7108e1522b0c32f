package io.timberdb.security.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesAnOwnerOnlyKeyPairOnceAndReadsItBack() throws Exception {
        Path file = LocalSigningKey.defaultFile(dataDir);
        RSAKey created = LocalSigningKey.loadOrCreate(file);

        assertThat(file).isEqualTo(dataDir.resolve("security/local-signing-key.json"));
        assertThat(created.isPrivate()).isTrue();
        assertThat(created.size()).isEqualTo(2048);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(LocalSigningKey.loadOrCreate(file)).isEqualTo(created);
        assertThat(LocalSigningKey.load(file).getKeyID()).isEqualTo(created.getKeyID());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aMissingFileIsNoSuchFileAndAJunkFileSaysSoWithoutQuotingIt() throws Exception {
        Path file = LocalSigningKey.defaultFile(dataDir);
        assertThatThrownBy(() -> LocalSigningKey.load(file)).isInstanceOf(NoSuchFileException.class);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"kty\":\"RSA\",\"d\":\"private-part\"");
        assertThatThrownBy(() -> LocalSigningKey.load(file)).hasMessageContaining("not a JSON Web Key")
                .hasMessageNotContaining("private-part");
    }
}
