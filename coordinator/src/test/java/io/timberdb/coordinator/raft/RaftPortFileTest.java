package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftPortFileTest {

    @TempDir
    Path dir;

    @Test
    void firstStartTakesThePreferredPortWhenFreeAndRecordsIt() throws IOException {
        int preferred = RaftTestCluster.freePort();

        int port = RaftPortFile.resolve(dir.resolve("new"), "127.0.0.1", preferred);

        assertThat(port).isEqualTo(preferred);
        assertThat(Files.readString(dir.resolve("new").resolve(RaftPortFile.FILE_NAME))).isEqualTo(preferred + "\n");
    }

    @Test
    void firstStartPicksAnotherPortWhenThePreferredOneIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            int port = RaftPortFile.resolve(dir, "127.0.0.1", taken.getLocalPort());

            assertThat(port).isPositive().isNotEqualTo(taken.getLocalPort());
        }
    }

    @Test
    void laterStartsReuseTheRecordedPortEvenWhenBusy() throws IOException {
        int first = RaftPortFile.resolve(dir, "127.0.0.1", 0);
        try (ServerSocket busy = new ServerSocket()) {
            busy.setReuseAddress(true);
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));

            assertThat(RaftPortFile.resolve(dir, "127.0.0.1", 0)).isEqualTo(first);
        }
    }

    @Test
    void aCorruptFileIsAnError() throws IOException {
        Files.writeString(dir.resolve(RaftPortFile.FILE_NAME), "seventy\n");

        assertThatThrownBy(() -> RaftPortFile.resolve(dir, "127.0.0.1", 0))
                .isInstanceOf(IOException.class).hasMessageContaining("seventy");
    }
}
