package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

/**
 * The native write API on a real port (Netty's own buffers, chunked transfer): gzip and zstd
 * NDJSON bodies sent without a {@code Content-Length} are decoded as they stream in and stored
 * (each chunk released once: Netty's buffers are reference-counted); an unknown encoding (415) and
 * a zstd body cut in half (400) store nothing.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandaloneNativeApiTest extends StandaloneContext {

    @Value("${local.server.port}")
    int port;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static byte[] lines(String prefix, int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("{\"source\":\"web-").append(i % 4).append("\",\"timestamp\":").append(1_764_150_000L + i)
                    .append(",\"tags\":{\"level\":\"info\"},\"message\":\"").append(prefix).append(' ').append(i).append("\"}\n");
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** Posts {@code body} chunked (no Content-Length), with {@code encoding}. */
    HttpResponse<String> post(String encoding, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/partitions/native/logs"))
                .header("Content-Type", "application/x-ndjson").header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void gzipAndZstdBodiesStreamInAndAreStored() throws Exception {
        awaitHealthy();
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"native\"}").exchange().expectStatus().isCreated();

        HttpResponse<String> gzipped = post("gzip", gzip(lines("gz", 20_000)));
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(200);
        assertThat(gzipped.body()).contains("\"accepted\":20000");
        HttpResponse<String> zstd = post("zstd", Zstd.compress(lines("zst", 20_000), 3));
        assertThat(zstd.statusCode()).as(zstd.body()).isEqualTo(200);
        HttpResponse<String> brotli = post("br", lines("br", 10));
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(brotli.body()).contains("UNSUPPORTED_CONTENT_ENCODING");
        byte[] zst = Zstd.compress(lines("cut", 20_000), 3);
        HttpResponse<String> truncated = post("zstd", Arrays.copyOf(zst, zst.length / 2));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("MALFORMED_COMPRESSION");

        http.post().uri("/api/v1/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\":\"SELECT count(*) FROM native\"}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.rows[0][0]").isEqualTo(40_000);
    }
}
