package dev.arcturus.tools.chaos;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.tools.fleet.SyntheticFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The records fault scenarios load the plane with, valid and realistic (as a node or the gateway would write them). */
final class ChaosRecords {
    static final Clock CLOCK = Clock.systemUTC();
    private static final String PRODUCER = "chaos";

    private ChaosRecords() {
    }

    /** Registers nodes {@code node-0} … in ten regions ({@link SyntheticFleet}) and waits until the broker has them. */
    static void registerFleet(final KafkaProducer<String, SpecificRecord> producer, final int nodes) {
        SyntheticFleet.register(producer, PRODUCER, nodes);
    }

    static NodeRegistration registration(final String nodeId, final String region) {
        return SyntheticFleet.registration(PRODUCER, nodeId, region);
    }

    static Heartbeat heartbeat(final String nodeId, final long sequence, final Duration interval) {
        return Heartbeat.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, CLOCK)).setNodeId(nodeId)
                .setSentAt(CLOCK.instant()).setSequence(sequence).setIntervalMs(interval.toMillis()).build();
    }

    static SystemInfo systemInfo(final String nodeId, final Instant at, final double cpu) {
        return SyntheticFleet.systemInfo(PRODUCER, nodeId, at, cpu);
    }

    /** A node's report on a run (run ids are deterministic per job and occurrence, as the connector makes them). */
    static RunUpdate runUpdate(final String runId, final String nodeId, final Instant scheduledAt,
                               final RunStatus status) {
        final Instant now = CLOCK.instant();
        final boolean ended = status == RunStatus.COMPLETED || status == RunStatus.FAILED;
        return RunUpdate.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, CLOCK)).setRunId(runId)
                .setJobId("job-" + runId).setNodeId(nodeId).setOwnerId("chaos").setScheduledAt(scheduledAt)
                .setStatus(status).setStartedAt(status == RunStatus.SCHEDULED ? null : now)
                .setEndedAt(ended ? now : null).setExitCode(ended ? 0 : null).build();
    }

    /** An exclusive one-shot job whose window is exactly its length: admission can only take or refuse that slot. */
    static JobSpec fixedSlotJob(final String jobId, final String nodeId, final Instant start, final Duration length) {
        return JobSpec.newBuilder().setJobId(jobId).setOwner("chaos").setKind(JobKind.ONE_SHOT).setTargetNodeId(nodeId)
                .setWindowStart(start).setWindowEnd(start.plus(length)).setLengthSeconds((int) length.toSeconds())
                .setExclusive(true).build();
    }

    static dev.arcturus.avro.RegionProbe probe(final String nodeId, final Long rttMicros) {
        return dev.arcturus.avro.RegionProbe.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, CLOCK))
                .setSourceNodeId(nodeId).setSourceIp("10.1.2.3").setSourceRegion("R0").setTargetNodeId("peer")
                .setTargetIp("10.9.8.7").setTargetRegion("R1").setTargetPort(443).setProbeTime(CLOCK.instant())
                .setSamples(java.util.List.of(new dev.arcturus.avro.ProbeSample(
                        dev.arcturus.avro.ProbeOutcome.CONNECTED, rttMicros))).build();
    }

    static dev.arcturus.avro.PlacementCommand placementSubmit(final String commandId) {
        return dev.arcturus.avro.PlacementCommand.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, CLOCK))
                .setType(dev.arcturus.avro.PlacementCommandType.SUBMIT).setCommandId(commandId).setJobId("placed-job")
                .setRequestedBy("chaos").setSpec(fixedSlotJob("placed-job", "good-node", CLOCK.instant(),
                        Duration.ofMinutes(5))).build();
    }

    static JobCommand schedule(final JobSpec spec) {
        return JobCommand.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, CLOCK))
                .setCommandId(UUID.randomUUID().toString()).setType(JobCommandType.SCHEDULE).setJobId(spec.getJobId())
                .setRequestedBy("chaos").setSpec(spec).build();
    }
}
