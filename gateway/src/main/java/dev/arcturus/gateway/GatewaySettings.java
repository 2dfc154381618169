package dev.arcturus.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway serves.
 *
 * @param host             address to bind
 * @param port             gRPC port (0: any free port)
 * @param tls              certificate chain and private key (PEM files); empty serves plaintext (tests, loopback)
 * @param decisionDeadline how long schedule/modify wait for the admission decision
 * @param adminTokenFile   where the first admin token is written (mode 0600) when no admin exists yet
 */
public record GatewaySettings(String host, int port, Optional<TlsFiles> tls, Duration decisionDeadline,
                              Path adminTokenFile) {
    public static final int DEFAULT_PORT = 50051;
    public static final Duration DEFAULT_DECISION_DEADLINE = Duration.ofSeconds(10);

    public GatewaySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("gateway port must be 0..65535, was " + port);
        }
        if (decisionDeadline.isNegative() || decisionDeadline.isZero()) {
            throw new IllegalArgumentException("decision deadline must be positive, was " + decisionDeadline);
        }
    }

    /** A PEM certificate chain and its PEM (PKCS#8) private key. */
    public record TlsFiles(Path certificateChain, Path privateKey) {
    }
}
