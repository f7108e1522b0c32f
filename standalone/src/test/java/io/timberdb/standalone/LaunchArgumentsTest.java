package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaunchArgumentsTest {

    @Test
    void translatesTheSpecFlagsWithSpacesOrEquals() {
        assertThat(LaunchArguments.translate(new String[] {
                "--data-dir", "./d", "--listen=127.0.0.1:17777", "--node-id", "dev", "--logging.level.root=warn"}))
                .containsExactly("--timberdb.data-dir=./d", "--server.address=127.0.0.1", "--server.port=17777",
                        "--timberdb.node-id=dev", "--logging.level.root=warn");
    }

    @Test
    void refusesANonLoopbackAddressWithoutInsecure() {
        assertThatThrownBy(() -> LaunchArguments.translate(new String[] {"--listen", "0.0.0.0:7777"}))
                .hasMessageContaining("--insecure");
        assertThat(LaunchArguments.translate(new String[] {"--listen", "0.0.0.0:7777", "--insecure"}))
                .containsExactly("--server.address=0.0.0.0", "--server.port=7777");
    }

    @Test
    void rejectsAListenAddressWithoutPort() {
        assertThatThrownBy(() -> LaunchArguments.translate(new String[] {"--listen", "127.0.0.1"}))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> LaunchArguments.translate(new String[] {"--node-id"}))
                .hasMessageContaining("needs a value");
    }

    @Test
    void authTurnsOnLocalModeAndAllowsANonLoopbackAddress() {
        assertThat(LaunchArguments.translate(new String[] {"--auth"}))
                .containsExactly("--timberdb.security.mode=local");
        assertThat(LaunchArguments.translate(new String[] {"--listen", "0.0.0.0:7777", "--auth"}))
                .containsExactly("--server.address=0.0.0.0", "--server.port=7777", "--timberdb.security.mode=local");
        assertThat(LaunchArguments.translate(new String[] {"--listen=0.0.0.0:7777", "--timberdb.security.mode=jwt"}))
                .contains("--timberdb.security.mode=jwt");
    }

    @Test
    void refusesANonLoopbackAddressWithAuthenticationExplicitlyOff() {
        assertThatThrownBy(() -> LaunchArguments.translate(new String[] {
                "--listen", "0.0.0.0:7777", "--timberdb.security.mode=off"}))
                .hasMessageContaining("--auth").hasMessageContaining("--insecure");
    }
}
