package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority made with the JDK's {@code keytool} at test time, and the key pairs
 * it signs, as PEM files Spring Boot's SSL bundles read. Under the authority's directory:
 * {@code ca.pem} (its certificate) and, for each key pair, {@code <name>/cert.pem} (the leaf, then
 * the CA) and {@code <name>/key.pem} (PKCS#8). Every key pair is for {@code 127.0.0.1} and
 * {@code localhost}, usable by a server and a client. Shared through shared-model's test jar.
 */
public final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path dir;
    private final X509Certificate ca;

    private TestCertificates(Path dir, X509Certificate ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A new self-signed EC authority named {@code name} (its CN), its files under {@code dir}. */
    public static TestCertificates authority(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path p12 = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        X509Certificate cert = (X509Certificate) load(p12).getCertificate("ca");
        Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", cert.getEncoded()));
        return new TestCertificates(dir, cert);
    }

    /** The authority's certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** The authority's certificate as a PEM file: a truststore that trusts what it signs. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The directory of the key pair {@code name}: {@code cert.pem} and {@code key.pem}. */
    public Path keyPair(String name) {
        return dir.resolve(name);
    }

    /**
     * A new key pair whose certificate (CN {@code name}) this authority signs, written under
     * {@link #keyPair(String) keyPair(name)}; answers the leaf certificate.
     */
    public X509Certificate issue(String name) throws Exception {
        Path out = Files.createDirectories(keyPair(name));
        Path p12 = out.resolve("keystore.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD,
                "-file", out.resolve("request.csr").toString());
        keytool("-gencert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD,
                "-infile", out.resolve("request.csr").toString(), "-outfile", out.resolve("leaf.pem").toString(), "-rfc",
                "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth,clientAuth");
        PrivateKey key = (PrivateKey) load(p12).getKey(name, PASSWORD.toCharArray());
        Files.writeString(out.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(out.resolve("cert.pem"), Files.readString(out.resolve("leaf.pem")).strip() + "\n"
                + Files.readString(caPem()));
        try (InputStream in = Files.newInputStream(out.resolve("leaf.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /**
     * Puts the key pair in {@code from} in place of the one in {@code live} as an operator would:
     * each file written aside, then renamed over the live one (key first, then certificate).
     */
    public static void install(Path from, Path live) throws IOException {
        Files.createDirectories(live);
        for (String name : List.of("key.pem", "cert.pem")) {
            Path aside = live.resolve(name + ".new");
            Files.copy(from.resolve(name), aside, StandardCopyOption.REPLACE_EXISTING);
            Files.move(aside, live.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
