package dev.arcturus.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost}/{@code 127.0.0.1}, made once by {@code ./arcturus up} with the
 * JDK's own {@code keytool} (fixed arguments, no user input) and kept as PEM files: a fresh key per installation,
 * never one shipped in the repository.
 */
public final class SelfSignedCertificate {
    private static final String ALIAS = "arcturus-gateway";

    private SelfSignedCertificate() {
    }

    /** Returns the pair in {@code dir}, creating it on first use. */
    public static TlsFiles ensure(final Path dir) {
        final Path cert = dir.resolve("gateway.crt");
        final Path key = dir.resolve("gateway.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new TlsFiles(cert, key);
        }
        try {
            Files.createDirectories(dir);
            final Path store = Files.createTempFile(dir, "gateway", ".p12");
            Files.delete(store); // keytool refuses to write into an existing empty file
            final byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            final String password = HexFormat.of().formatHex(secret);
            try {
                runKeytool(store, password);
                final KeyStore keyStore = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    keyStore.load(in, password.toCharArray());
                }
                final PrivateKey privateKey = (PrivateKey) keyStore.getKey(ALIAS, password.toCharArray());
                final Certificate certificate = keyStore.getCertificate(ALIAS);
                Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
                Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } finally {
                Files.deleteIfExists(store);
            }
            return new TlsFiles(cert, key);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the gateway's self-signed certificate in " + dir, e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the generated key store", e);
        }
    }

    private static void runKeytool(final Path store, final String password) throws IOException {
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "825", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        try {
            final String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output.replace(password, "***"));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running keytool", e);
        }
    }

    private static String pem(final String type, final byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
