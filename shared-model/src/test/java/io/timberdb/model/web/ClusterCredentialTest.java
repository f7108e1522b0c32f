package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class ClusterCredentialTest {

    @TempDir
    Path dir;

    @Test
    void matchesOnlyItsOwnTokenAndNeverPrintsIt() {
        ClusterCredential credential = ClusterCredential.of("s3cret-token");
        assertThat(credential.configured()).isTrue();
        assertThat(credential.matches("s3cret-token")).isTrue();
        assertThat(credential.matches("s3cret-toke")).isFalse();
        assertThat(credential.matches("s3cret-token ")).isFalse();
        assertThat(credential.matches(null)).isFalse();
        assertThat(credential.toString()).doesNotContain("s3cret");
    }

    @Test
    void noneMatchesNothingAndIsNotConfigured() {
        assertThat(ClusterCredential.none().configured()).isFalse();
        assertThat(ClusterCredential.none().matches("")).isFalse();
        assertThat(ClusterCredential.of("  ").configured()).isFalse();
        assertThat(ClusterCredential.from(new MockEnvironment()).configured()).isFalse();
    }

    @Test
    void readsThePropertyElseTheFileTrimmed() throws Exception {
        Path file = Files.writeString(dir.resolve("cluster-token"), "from-file\n");
        ClusterCredential fromFile = ClusterCredential.from(new MockEnvironment()
                .withProperty("timberdb.security.cluster-token-file", file.toString()));
        assertThat(fromFile.matches("from-file")).isTrue();
        ClusterCredential fromProperty = ClusterCredential.from(new MockEnvironment()
                .withProperty("timberdb.security.cluster-token", "from-property")
                .withProperty("timberdb.security.cluster-token-file", file.toString()));
        assertThat(fromProperty.matches("from-property")).isTrue();
    }

    @Test
    void aNamedFileThatCannotBeReadOrIsEmptyStopsTheProcess() throws Exception {
        assertThatThrownBy(() -> ClusterCredential.from(new MockEnvironment()
                .withProperty("timberdb.security.cluster-token-file", dir.resolve("absent").toString())))
                .isInstanceOf(UncheckedIOException.class);
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ClusterCredential.from(new MockEnvironment()
                .withProperty("timberdb.security.cluster-token-file", empty.toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }
}
