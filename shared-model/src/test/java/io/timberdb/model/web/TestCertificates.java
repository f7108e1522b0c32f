package io.timberdb.model.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA and key pairs it signs, made at test time by the JDK's {@code keytool} (EC P-256,
 * valid two days) under one directory, for tests of TLS between TimberDB processes. Layout:
 * {@code ca.pem} (the CA certificate), {@code ca.p12}, and per key pair {@code <name>/cert.pem}
 * (the leaf, then the CA) and {@code <name>/key.pem} (PKCS#8). Every leaf names {@code 127.0.0.1}
 * and {@code localhost} and may serve as server and as client.
 *
 * <p>Shared through shared-model's test-jar. Not thread-safe: make the certificates from one thread.
 */
public final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path dir;
    private final X509Certificate ca;

    private TestCertificates(Path dir, X509Certificate ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /**
     * Makes a CA named {@code CN=<name>} in {@code dir}.
     *
     * @throws IOException when {@code keytool} fails or the files cannot be written
     */
    public static TestCertificates authority(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path p12 = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        try {
            X509Certificate cert = (X509Certificate) load(p12).getCertificate("ca");
            Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", cert.getEncoded()));
            return new TestCertificates(dir, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA keytool made", e);
        }
    }

    /** The CA certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** The CA certificate's PEM file. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The PEM certificate chain (leaf, then the CA) of the key pair {@code name}. */
    public Path certPem(String name) {
        return dir.resolve(name).resolve("cert.pem");
    }

    /** The PEM (PKCS#8) private key of the key pair {@code name}. */
    public Path keyPem(String name) {
        return dir.resolve(name).resolve("key.pem");
    }

    /** The directory of the key pair {@code name}. */
    public Path dir(String name) {
        return dir.resolve(name);
    }

    /**
     * Makes a key pair {@code CN=<name>} whose certificate this CA signs (for {@code 127.0.0.1}
     * and {@code localhost}, server and client use), written under {@link #dir(String)}.
     *
     * @return the leaf certificate
     * @throws IOException when {@code keytool} fails or the files cannot be written
     */
    public X509Certificate sign(String name) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        Path p12 = out.resolve("keystore.p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD,
                "-file", out.resolve("request.csr").toString());
        keytool("-gencert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD,
                "-infile", out.resolve("request.csr").toString(), "-outfile", out.resolve("leaf.pem").toString(), "-rfc",
                "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth,clientAuth");
        try {
            PrivateKey key = (PrivateKey) load(p12).getKey(name, PASSWORD.toCharArray());
            Files.writeString(keyPem(name), pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(certPem(name), Files.readString(out.resolve("leaf.pem")).strip() + "\n"
                    + Files.readString(caPem()));
            try (InputStream in = Files.newInputStream(out.resolve("leaf.pem"))) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key pair keytool made for " + name, e);
        }
    }

    /**
     * An {@link SSLContext} trusting this CA alone; with the key pair {@code name} (made by
     * {@link #sign}) to present, or none when {@code name} is null.
     */
    public SSLContext context(String name) throws IOException, GeneralSecurityException {
        return context(name, this);
    }

    /**
     * An {@link SSLContext} trusting {@code trusted}'s CA alone, with this CA's key pair
     * {@code name} to present (or none when null): a stranger to {@code trusted}'s servers.
     */
    public SSLContext context(String name, TestCertificates trusted) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted.ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (name != null) {
            KeyStore keys = load(dir.resolve(name).resolve("keystore.p12"));
            // keytool's entry holds the self-signed request certificate: present the CA-signed chain instead
            PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(certPem(name))) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            keys.setKeyEntry(name, key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    /**
     * Puts the key pair in {@code from} ({@code key.pem}, {@code cert.pem}) in place of the one in
     * {@code live}, as an operator renews one: each file written aside, then renamed over the live
     * one, key first.
     */
    public static void install(Path from, Path live) throws IOException {
        Files.createDirectories(live);
        for (String name : List.of("key.pem", "cert.pem")) {
            Path aside = live.resolve(name + ".new");
            Files.copy(from.resolve(name), aside, StandardCopyOption.REPLACE_EXISTING);
            Files.move(aside, live.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static KeyStore load(Path p12) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!keytool.waitFor(2, TimeUnit.MINUTES)) {
                keytool.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        if (keytool.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
