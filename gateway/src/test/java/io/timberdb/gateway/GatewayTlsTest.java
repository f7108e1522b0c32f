package io.timberdb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * HTTPS on the public port from a Spring Boot SSL bundle of PEM files
 * ({@code server.ssl.bundle}, {@code spring.ssl.bundle.pem.*}), and the certificate replaced on
 * disk while the gateway runs: with {@code reload-on-update} the new one is served without a
 * restart. The certificates are self-signed, made at test time by the JDK's {@code keytool}.
 */
class GatewayTlsTest {

    @TempDir
    static Path dir;

    private static RunningGateway gateway;
    private static X509Certificate first;
    private static X509Certificate second;

    @BeforeAll
    static void start() throws Exception {
        first = selfSigned("first", dir.resolve("first"));
        second = selfSigned("second", dir.resolve("second"));
        install(dir.resolve("first"));
        DisposableServer ingest = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/nothing", (request, response) -> response.status(404).send())).bindNow();
        gateway = RunningGateway.start(ingest, "--server.ssl.bundle=public",
                "--spring.ssl.bundle.pem.public.keystore.certificate=" + dir.resolve("live/cert.pem").toUri(),
                "--spring.ssl.bundle.pem.public.keystore.private-key=" + dir.resolve("live/key.pem").toUri(),
                "--spring.ssl.bundle.pem.public.reload-on-update=true",
                "--spring.ssl.bundle.watch.file.quiet-period=1s");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesHttpsAndANewCertificateWithoutARestart() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(first)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port
                + "/actuator/health/liveness")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(served()).isEqualTo(first);

        install(dir.resolve("second"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> served().equals(second));
        HttpClient renewed = HttpClient.newBuilder().sslContext(trusting(second)).build();
        assertThat(renewed.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port
                        + "/actuator/health/liveness")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    /** The certificate the gateway presents in a new TLS handshake. */
    private static X509Certificate served() throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting(first, second).getSocketFactory().createSocket("127.0.0.1", gateway.port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Puts a key pair's PEM files in place of the live ones: each written aside, then renamed. */
    private static void install(Path from) throws IOException {
        Path live = Files.createDirectories(dir.resolve("live"));
        for (String name : List.of("key.pem", "cert.pem")) {
            Path aside = live.resolve(name + ".new");
            Files.copy(from.resolve(name), aside, StandardCopyOption.REPLACE_EXISTING);
            Files.move(aside, live.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * A self-signed RSA certificate for {@code 127.0.0.1} made by {@code keytool} into a PKCS#12
     * file, then written out as {@code cert.pem} and {@code key.pem} (PKCS#8) under {@code out}.
     */
    private static X509Certificate selfSigned(String name, Path out) throws Exception {
        Files.createDirectories(out);
        Path p12 = out.resolve("keystore.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, password);
        }
        PrivateKey key = (PrivateKey) store.getKey(name, password);
        X509Certificate cert = (X509Certificate) store.getCertificate(name);
        Files.writeString(out.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(out.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
        return cert;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(Certificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
