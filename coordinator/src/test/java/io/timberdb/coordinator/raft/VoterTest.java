package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoterTest {

    @Test
    void parsesTheConfiguredForm() {
        Voter voter = Voter.valueOf("coordinator-1@127.0.0.1:7811@http://127.0.0.1:7801");

        assertThat(voter).isEqualTo(new Voter("coordinator-1", "127.0.0.1", 7811, URI.create("http://127.0.0.1:7801")));
        assertThat(voter.raftAddress()).isEqualTo("127.0.0.1:7811");
        assertThat(voter).hasToString("coordinator-1@127.0.0.1:7811@http://127.0.0.1:7801");
    }

    @Test
    void acceptsHostNamesAndSurroundingBlanks() {
        Voter voter = Voter.valueOf(" coordinator-2@coordinator-2.timberdb:7812@http://coordinator-2.timberdb:7802 ");

        assertThat(voter.host()).isEqualTo("coordinator-2.timberdb");
        assertThat(voter.httpUrl().getPort()).isEqualTo(7802);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "coordinator-1",
        "coordinator-1@127.0.0.1:7811",
        "coordinator-1@127.0.0.1@http://127.0.0.1:7801",
        "coordinator-1@127.0.0.1:x@http://127.0.0.1:7801",
        "coordinator-1@127.0.0.1:0@http://127.0.0.1:7801",
        "coordinator-1@0.0.0.0:7811@http://127.0.0.1:7801",
        "coordinator-1@127.0.0.1:7811@ftp://127.0.0.1:7801",
        "@127.0.0.1:7811@http://127.0.0.1:7801",
        "bad id@127.0.0.1:7811@http://127.0.0.1:7801"})
    void rejectsMalformedVoters(String spec) {
        assertThatThrownBy(() -> Voter.valueOf(spec)).isInstanceOf(IllegalArgumentException.class);
    }
}
