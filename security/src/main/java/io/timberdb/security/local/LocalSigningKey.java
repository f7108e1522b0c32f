package io.timberdb.security.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The standalone's local-mode signing key: an RSA 2048 key pair that the server generates on its
 * first start with {@code --auth} and checks tokens with, and that {@code ./timberdb token} signs
 * them with.
 *
 * <p>File format: one JSON Web Key (RFC 7517) of type {@code RSA} with its private parameters,
 * {@code "use":"sig"}, {@code "alg":"RS256"} and its RFC 7638 thumbprint as {@code kid}, in
 * UTF-8, in {@code <data-dir>/security/local-signing-key.json}. The directory is {@code rwx------}
 * and the file {@code rw-------} (POSIX file systems): the file is created with those
 * permissions under a temporary name and renamed, so it is never readable by others, not even
 * briefly. Whoever can read it can mint tokens this server accepts.
 *
 * <p>Thread-safety: static methods on the file system; two processes creating the same file at
 * once both succeed, one of their keys wins (the loser re-reads the winner's).
 */
public final class LocalSigningKey {

    /** The file's name under {@code <data-dir>/security/}. */
    public static final String FILE_NAME = "local-signing-key.json";

    private static final int KEY_BITS = 2048;

    private LocalSigningKey() {
    }

    /** {@code <data-dir>/security/local-signing-key.json}. */
    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("security").resolve(FILE_NAME);
    }

    /** Reads the key; a missing file is a {@link java.nio.file.NoSuchFileException}. */
    public static RSAKey load(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            RSAKey key = RSAKey.parse(json);
            if (!key.isPrivate()) {
                throw new IOException(file + " holds a public key only; local mode needs the key pair");
            }
            return key;
        } catch (ParseException e) {
            // the parser's message may quote the file's content: a private key
            throw new IOException(file + " is not a JSON Web Key (RSA); delete it to generate a new key");
        }
    }

    /** Reads the key, generating and writing it first when the file does not exist. */
    public static RSAKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        RSAKey key;
        try {
            key = new RSAKeyGenerator(KEY_BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(dir, posix ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
        Path temp = posix ? Files.createTempFile(dir, FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            return load(file);
        } finally {
            Files.deleteIfExists(temp);
        }
        return key;
    }
}
