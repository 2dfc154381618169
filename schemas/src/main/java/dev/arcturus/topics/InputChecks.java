package dev.arcturus.topics;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.avro.SystemInfo;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The semantic checks a record from outside the plane must pass before an app acts on it: a record that decodes but
 * makes no sense (an empty node id, a CPU usage of 250 %, a negative round-trip time) would otherwise corrupt state
 * quietly. Each problem names the field and what is wrong, so the dead-letter record explains itself. Only clear
 * nonsense in what the plane keys or computes on is refused; odd-but-possible values (a node reporting 0 % CPU) pass.
 */
public final class InputChecks {
    static final int MAX_ID = 128;
    private static final int MAX_DOMAIN = 253;
    private static final long MAX_HEARTBEAT_INTERVAL_MS = 3_600_000;

    private InputChecks() {
    }

    /** What is wrong with {@code value}, if anything; types without checks always pass. */
    public static Optional<String> problem(final SpecificRecord value) {
        if (value instanceof Heartbeat beat) {
            return heartbeat(beat);
        } else if (value instanceof SystemInfo info) {
            return systemInfo(info);
        } else if (value instanceof RegionProbe probe) {
            return probe(probe);
        } else if (value instanceof NodeRegistration registration) {
            return registration(registration);
        } else if (value instanceof RunUpdate update) {
            return runUpdate(update);
        } else if (value instanceof JobCommand command) {
            // The spec's own problems become a REJECTED decision with the reason; without a command id there is no
            // one to answer.
            return id("commandId", command.getCommandId()).or(() -> id("requestedBy", command.getRequestedBy()));
        } else if (value instanceof PlacementCommand command) {
            return id("commandId", command.getCommandId()).or(() -> id("jobId", command.getJobId()));
        }
        return Optional.empty();
    }

    private static Optional<String> heartbeat(final Heartbeat beat) {
        return id("nodeId", beat.getNodeId())
                .or(() -> range("intervalMs", beat.getIntervalMs(), 1, MAX_HEARTBEAT_INTERVAL_MS));
    }

    private static Optional<String> systemInfo(final SystemInfo info) {
        return id("nodeId", info.getNodeId())
                .or(() -> percent("cpuUsage", info.getCpuUsage()))
                .or(() -> percent("memoryUsedPercent", info.getMemoryUsedPercent()))
                .or(() -> percent("diskUsedPercent", info.getDiskUsedPercent()))
                .or(() -> range("logicalCores", info.getLogicalCores(), 0, 1 << 16))
                .or(() -> range("cpuCores", info.getCpuCores(), 0, 1 << 16));
    }

    private static Optional<String> probe(final RegionProbe probe) {
        final Optional<String> header = id("sourceNodeId", probe.getSourceNodeId())
                .or(() -> required("targetIp", probe.getTargetIp()))
                // 0: the port was not recorded (the schema default).
                .or(() -> range("targetPort", probe.getTargetPort(), 0, 65_535));
        if (header.isPresent()) {
            return header;
        }
        for (int i = 0; i < probe.getSamples().size(); i++) {
            final ProbeSample sample = probe.getSamples().get(i);
            if (sample.getRttMicros() != null && sample.getRttMicros() < 0) {
                return Optional.of("samples[" + i + "].rttMicros: must not be negative, was " + sample.getRttMicros());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> registration(final NodeRegistration registration) {
        return id("nodeId", registration.getNodeId())
                .or(() -> required("ip", registration.getIp()))
                .or(() -> required("region", registration.getRegion()))
                .or(() -> length("region", registration.getRegion(), MAX_DOMAIN));
    }

    private static Optional<String> runUpdate(final RunUpdate update) {
        return id("runId", update.getRunId()).or(() -> id("jobId", update.getJobId()))
                .or(() -> id("nodeId", update.getNodeId()));
    }

    private static Optional<String> id(final String field, final CharSequence value) {
        return required(field, value).or(() -> length(field, value, MAX_ID));
    }

    private static Optional<String> required(final String field, final CharSequence value) {
        return value == null || value.toString().isBlank() ? Optional.of(field + ": required, was empty")
                : Optional.empty();
    }

    private static Optional<String> length(final String field, final CharSequence value, final int max) {
        return value.length() > max ? Optional.of(field + ": at most " + max + " characters, was " + value.length())
                : Optional.empty();
    }

    private static Optional<String> range(final String field, final long value, final long min, final long max) {
        return value < min || value > max
                ? Optional.of(field + ": must be within " + min + ".." + max + ", was " + value) : Optional.empty();
    }

    private static Optional<String> percent(final String field, final double value) {
        return Double.isNaN(value) || value < 0 || value > 100
                ? Optional.of(field + ": must be a percentage within 0..100, was " + value) : Optional.empty();
    }
}
