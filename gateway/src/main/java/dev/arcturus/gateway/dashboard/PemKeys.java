package dev.arcturus.gateway.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An {@link SSLContext} from the gateway's PEM certificate chain and PKCS#8 key, so the dashboard serves HTTPS too. */
final class PemKeys {
    private PemKeys() {
    }

    static SSLContext serverContext(final Path certificateChain, final Path privateKey) {
        try {
            final Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(certificateChain)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            final PrivateKey key = privateKey(Files.readString(privateKey, StandardCharsets.US_ASCII));
            final char[] password = new char[0];
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("dashboard", key, password, chain.toArray(Certificate[]::new));
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (final IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("dashboard TLS: cannot use " + certificateChain + " and " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(final String pem) throws GeneralSecurityException {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("the key must be PEM PKCS#8 (BEGIN PRIVATE KEY)");
        }
        final String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (final String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (final GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm");
    }
}
