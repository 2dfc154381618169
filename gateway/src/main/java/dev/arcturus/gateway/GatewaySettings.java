package dev.arcturus.gateway;

import dev.arcturus.gateway.runs.RunHistorySettings;
import dev.arcturus.gateway.tls.TlsFiles;
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
 * @param artifactStorage  Azure Blob connection string (with the account key) for run artifacts, if any
 * @param dashboardPort    port of the live dashboard (HTTPS with the same TLS files; 0: any free port; negative: none)
 * @param runHistory       where run history is kept on disk and for how long
 */
public record GatewaySettings(String host, int port, Optional<TlsFiles> tls, Duration decisionDeadline,
                              Path adminTokenFile, Optional<String> artifactStorage, int dashboardPort,
                              RunHistorySettings runHistory) {
    public static final int DEFAULT_DASHBOARD_PORT = 8443;
    public static final int NO_DASHBOARD = -1;

    public static final int DEFAULT_PORT = 50051;
    public static final Duration DEFAULT_DECISION_DEADLINE = Duration.ofSeconds(10);

    public GatewaySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("gateway port must be 0..65535, was " + port);
        }
        if (dashboardPort > 65_535) {
            throw new IllegalArgumentException("dashboard port must be 0..65535 (negative: none), was " + dashboardPort);
        }
        if (decisionDeadline.isNegative() || decisionDeadline.isZero()) {
            throw new IllegalArgumentException("decision deadline must be positive, was " + decisionDeadline);
        }
    }

    /** Settings without artifact storage (artifact URLs then answer FAILED_PRECONDITION). */
    public GatewaySettings(final String host, final int port, final Optional<TlsFiles> tls,
                           final Duration decisionDeadline, final Path adminTokenFile) {
        this(host, port, tls, decisionDeadline, adminTokenFile, Optional.empty(), NO_DASHBOARD,
                RunHistorySettings.ephemeral());
    }

    public GatewaySettings withArtifactStorage(final Optional<String> connectionString) {
        return new GatewaySettings(host, port, tls, decisionDeadline, adminTokenFile, connectionString, dashboardPort,
                runHistory);
    }

    public GatewaySettings withDashboardPort(final int port) {
        return new GatewaySettings(host, this.port, tls, decisionDeadline, adminTokenFile, artifactStorage, port,
                runHistory);
    }

    public GatewaySettings withRunHistory(final RunHistorySettings history) {
        return new GatewaySettings(host, port, tls, decisionDeadline, adminTokenFile, artifactStorage, dashboardPort,
                history);
    }

    /** Never prints the storage connection string: it holds the account key. */
    @Override
    public String toString() {
        return "GatewaySettings[host=" + host + ", port=" + port + ", tls=" + tls + ", decisionDeadline="
                + decisionDeadline + ", adminTokenFile=" + adminTokenFile + ", artifactStorage="
                + (artifactStorage.isPresent() ? "***" : "none") + ", dashboardPort=" + dashboardPort + ", runHistory="
                + runHistory + "]";
    }
}
