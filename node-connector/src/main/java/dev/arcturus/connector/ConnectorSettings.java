package dev.arcturus.connector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One node's connector.
 *
 * @param nodeId        the node it acts as (its token's principal)
 * @param token         the node's token (from a file or the environment, never a flag)
 * @param dockerHost    the node's Docker engine, e.g. {@code unix:///var/run/docker.sock}
 * @param pullImages    whether missing images are pulled (off where no registry is reachable)
 * @param workRoot      where run directories are kept until their artifacts are uploaded
 * @param heartbeat     heartbeat interval
 * @param rescheduleBuffer how far ahead a one-shot job displaced by scavenger mode is moved at least (LEOScope's
 *                      resched-buffer, 1800 s)
 * @param telemetry     system info, probes and the kernel service
 */
public record ConnectorSettings(String nodeId, String token, String dockerHost, boolean pullImages, Path workRoot,
                                Duration heartbeat, Duration rescheduleBuffer, TelemetrySettings telemetry) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESCHEDULE_BUFFER = Duration.ofMinutes(30);

    public ConnectorSettings(final String nodeId, final String token, final String dockerHost, final boolean pullImages,
                             final Path workRoot, final Duration heartbeat) {
        this(nodeId, token, dockerHost, pullImages, workRoot, heartbeat, DEFAULT_RESCHEDULE_BUFFER);
    }

    public ConnectorSettings(final String nodeId, final String token, final String dockerHost, final boolean pullImages,
                             final Path workRoot, final Duration heartbeat, final Duration rescheduleBuffer) {
        this(nodeId, token, dockerHost, pullImages, workRoot, heartbeat, rescheduleBuffer, TelemetrySettings.defaults());
    }

    public ConnectorSettings withTelemetry(final TelemetrySettings newTelemetry) {
        return new ConnectorSettings(nodeId, token, dockerHost, pullImages, workRoot, heartbeat, rescheduleBuffer,
                newTelemetry);
    }

    public ConnectorSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(workRoot, "workRoot");
        Objects.requireNonNull(telemetry, "telemetry");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, was " + heartbeat);
        }
    }

    @Override
    public String toString() {
        return "ConnectorSettings[nodeId=" + nodeId + ", token=***, dockerHost=" + dockerHost + ", pullImages="
                + pullImages + ", workRoot=" + workRoot + ", heartbeat=" + heartbeat + ", rescheduleBuffer="
                + rescheduleBuffer + ", telemetry=" + telemetry + "]";
    }
}
