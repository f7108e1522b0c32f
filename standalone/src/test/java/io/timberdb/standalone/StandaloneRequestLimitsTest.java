package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The spec's {@code [api]} request limits on a real port: a body that does not arrive within
 * {@code request-timeout} is answered 408 and stores nothing; past {@code max-concurrent-requests}
 * a request is answered 429 with {@code Retry-After} while {@code /health} still answers; the
 * slots come back when the held requests end.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"timberdb.api.max-concurrent-requests=2", "timberdb.api.request-timeout=2s"})
class StandaloneRequestLimitsTest extends StandaloneContext {

    static final String ENTRY = "{\"source\":\"web-1\",\"message\":\"held back\"}";

    @Value("${local.server.port}")
    int port;

    @Autowired
    MeterRegistry metrics;

    /** Sends a write's headers and the first half of its body, and leaves the rest unsent. */
    Socket startSlowWrite(String partition) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/partitions/" + partition + "/logs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + ENTRY.length() + "\r\n\r\n"
                + ENTRY.substring(0, ENTRY.length() / 2)).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** What the server answers on {@code socket} (it closes or the answer is whole). */
    static String answer(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) > 0; ) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.indexOf("\r\n\r\n") > 0 && text.toString().endsWith("}")) {
                break;
            }
        }
        return text.toString();
    }

    double inFlight() {
        return metrics.get("timberdb.api.requests.in_flight").gauge().value();
    }

    long stored(String partition) {
        return http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{},\"partitions\":[\"" + partition + "\"]}").exchange()
                .expectStatus().isOk()
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody()
                .get("matched_entries").asLong();
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsAnswered408AndStoresNothing() throws IOException {
        awaitHealthy();
        createPartition("slow-bodies");
        try (Socket slow = startSlowWrite("slow-bodies")) {
            String answer = answer(slow);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"")
                    .contains("timberdb.api.request-timeout");
        }
        assertThat(stored("slow-bodies")).isZero();
        assertThat(metrics.get("timberdb.api.requests.refused").tag("reason", "request_timeout").counter().count())
                .isGreaterThanOrEqualTo(1);
        // a whole body in time is stored as ever
        http.post().uri("/api/v1/partitions/slow-bodies/logs").contentType(MediaType.APPLICATION_JSON).bodyValue(ENTRY)
                .exchange().expectStatus().isOk();
        assertThat(stored("slow-bodies")).isEqualTo(1);
    }

    @Test
    void pastTheMaximumARequestIs429WhileHealthAnswersAndTheSlotsComeBack() throws IOException {
        awaitHealthy();
        createPartition("held");
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        try (Socket first = startSlowWrite("held"); Socket second = startSlowWrite("held")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 2);
            http.get().uri("/api/v1/partitions").exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody().jsonPath("$.code").isEqualTo("TOO_MANY_REQUESTS");
            http.get().uri("/health").exchange().expectStatus().isOk();
            assertThat(answer(first)).startsWith("HTTP/1.1 408");
            assertThat(answer(second)).startsWith("HTTP/1.1 408");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        http.get().uri("/api/v1/partitions").exchange().expectStatus().isOk();
        assertThat(stored("held")).isZero();
    }
}
