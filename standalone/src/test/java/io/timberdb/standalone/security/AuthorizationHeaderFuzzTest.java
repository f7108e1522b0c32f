package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.standalone.StandaloneApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * Whatever a client puts in {@code Authorization} (random characters, huge values, "Bearer " and
 * garbage, many dots, base64 junk), the standalone in local mode never answers 5xx. A real
 * server on a loopback port, so that Netty's own header limits take part.
 */
class AuthorizationHeaderFuzzTest {

    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static WebTestClient http;

    @BeforeContainer
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("timberdb-fuzz");
        app = new SpringApplicationBuilder(StandaloneApplication.class).web(WebApplicationType.REACTIVE)
                .run("--server.address=127.0.0.1", "--server.port=0", "--timberdb.data-dir=" + dataDir,
                        "--timberdb.standalone.raft-port=0", "--timberdb.security.mode=local",
                        "--logging.level.root=warn");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @AfterContainer
    static void stop() throws IOException {
        app.close();
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Property(tries = 300)
    void noAuthorizationHeaderCausesA5xx(@ForAll("headers") String header, @ForAll("routes") String route) {
        String[] methodAndPath = route.split(" ", 2);
        int status = http.method(HttpMethod.valueOf(methodAndPath[0])).uri(methodAndPath[1])
                .header(HttpHeaders.AUTHORIZATION, header).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().returnResult(byte[].class).getStatus().value();
        assertThat(status).as("%s with Authorization of %d chars", route, header.length()).isLessThan(500);
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of("GET /api/v1/partitions", "POST /api/v1/query/execute", "POST /_bulk",
                "POST /api/v1/partitions/web/logs", "GET /api/v1/cluster", "GET /health", "GET /actuator/prometheus",
                "GET /no/such/route");
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u00ff')
                .ofMinLength(0).ofMaxLength(200);
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_', '=', '+', '/').ofMaxLength(60);
        Arbitrary<String> dots = Combinators.combine(segment, Arbitraries.integers().between(0, 2000))
                .as((s, n) -> s + ".".repeat(n) + s);
        Arbitrary<String> base64Junk = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300)
                .map(bytes -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        Arbitrary<String> jwtShaped = Combinators.combine(base64Junk, base64Junk, base64Junk)
                .as((a, b, c) -> a + "." + b + "." + c);
        Arbitrary<String> huge = Arbitraries.integers().between(4_000, 70_000).map(n -> "Bearer " + "A".repeat(n));
        Arbitrary<String> token = Arbitraries.oneOf(printable, dots, base64Junk, jwtShaped, huge,
                Arbitraries.of("", " ", "none", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.", "....."));
        // a field value cannot begin or end with whitespace (RFC 9110 5.5): the client refuses to
        // send one, and a server trims it anyway
        return Arbitraries.oneOf(printable, token.map(t -> "Bearer " + t), token.map(t -> "bearer " + t),
                token.map(t -> "Basic " + t), token).map(String::strip);
    }
}
