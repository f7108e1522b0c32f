package io.timberdb.standalone.security;

import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.RSAKey;
import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.standalone.StandaloneApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * The standalone engine in local authentication mode ({@code ./timberdb up --auth}), with its data
 * (and so its generated signing key) in a directory of its own.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureWebTestClient
abstract class SecuredStandalone {

    static final Path DATA_DIR = createDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("timberdb.data-dir", DATA_DIR::toString);
        registry.add("timberdb.standalone.raft-port", () -> "0");
        registry.add("timberdb.security.mode", () -> "local");
    }

    @Autowired
    WebTestClient http;

    @Value("${timberdb.data-dir}")
    Path dataDir;

    RSAKey signingKey() throws IOException {
        return LocalSigningKey.load(LocalSigningKey.defaultFile(dataDir));
    }

    /** Waits until the local storage node has registered and {@code /health} answers 200. */
    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/health").exchange().expectStatus().isOk());
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("timberdb-secured");
            // the context outlives the test class (Spring caches it), so the directory goes at exit
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    FileSystemUtils.deleteRecursively(dir);
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
