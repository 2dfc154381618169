package dev.arcturus.connector.journal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own record of its runs, durable on its disk while the plane is away: every run update it made (in order,
 * until the plane acknowledges it), and the last status of every recent run — so the agent knows what ran without
 * asking the plane, and a restart with the plane unreachable resumes from here.
 *
 * <p>Records: {@code UPDATE(seq, update, artifact dir)}, fsync'd before {@link #append} returns; {@code ACK(seq)}
 * once the plane accepted it (not forced: losing one only repeats an idempotent delivery); {@code RUN(run, job,
 * scheduled, status)} written by compaction, which rewrites the file with the unacknowledged updates and the ledger of
 * recent runs once enough acknowledgements have piled up.
 */
public final class RunJournal implements AutoCloseable {
    /** Statuses after which a run never changes. */
    public static final Set<RunStatus> FINAL = EnumSet.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.TIMED_OUT,
            RunStatus.SKIPPED, RunStatus.ABORTED, RunStatus.TERMINATED, RunStatus.RESCHEDULED,
            RunStatus.RESCHEDULE_FAILED, RunStatus.MISSED);
    static final Duration LEDGER_RETENTION = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(RunJournal.class);
    private static final byte UPDATE = 1;
    private static final byte ACK = 2;
    private static final byte RUN = 3;
    private static final int COMPACT_AFTER_ACKS = 256;

    /** An update waiting for the plane; {@code artifactDir} is published before it is delivered, when not empty. */
    public record Pending(long seq, UpdateRunRequest update, String artifactDir) {
    }

    /** What the node knows of one run. */
    public record Known(String runId, String jobId, Instant scheduledAt, RunStatus status, boolean serverSide) {
    }

    private final JournalFile file;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Known> ledger = new HashMap<>();
    private long lastSeq;
    private int acksSinceCompaction;

    private RunJournal(final JournalFile file) {
        this.file = file;
    }

    /** Opens the journal in {@code directory}, replaying what it holds. */
    public static RunJournal open(final Path directory) {
        final List<byte[]> records = new ArrayList<>();
        final RunJournal journal = new RunJournal(JournalFile.open(directory.resolve("runs.journal"), records));
        records.forEach(journal::replay);
        log.info("Run journal {}: {} runs known, {} updates waiting for the plane", directory, journal.ledger.size(),
                journal.pending.size());
        return journal;
    }

    /** Records an update durably; the plane gets it later, in order. */
    public synchronized Pending append(final UpdateRunRequest update, final String artifactDir) {
        final Pending entry = new Pending(++lastSeq, update, artifactDir == null ? "" : artifactDir);
        file.append(encodeUpdate(entry));
        remember(entry);
        return entry;
    }

    /** The plane accepted {@code seq}: it is no longer pending (pruned at the next compaction). */
    public synchronized void acknowledge(final long seq) {
        if (pending.remove(seq) == null) {
            return;
        }
        file.appendLazily(encodeAck(seq));
        if (++acksSinceCompaction >= COMPACT_AFTER_ACKS) {
            compact(Instant.now());
        }
    }

    /** The oldest update the plane has not acknowledged. */
    public synchronized Optional<Pending> head() {
        return pending.values().stream().findFirst();
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized List<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** The last status this node recorded for the run. */
    public synchronized Optional<RunStatus> lastStatus(final String runId) {
        return Optional.ofNullable(ledger.get(runId)).map(Known::status);
    }

    /** The scheduled time of the job's latest client run this node recorded: occurrences up to it were handled. */
    public synchronized Optional<Instant> cursor(final String jobId) {
        return ledger.values().stream().filter(k -> k.jobId().equals(jobId) && !k.serverSide())
                .map(Known::scheduledAt).max(Instant::compareTo);
    }

    /** Client runs whose last recorded status is not final: the agent stopped while they were under way. */
    public synchronized List<Known> unfinished() {
        return ledger.values().stream().filter(k -> !k.serverSide() && !FINAL.contains(k.status())).toList();
    }

    /**
     * Rewrites the file with what is still needed: every pending update, and the ledger of runs scheduled within the
     * retention (plus each job's latest, so its cursor survives however rarely it runs).
     */
    public synchronized void compact(final Instant now) {
        final Map<String, Known> latestPerJob = new HashMap<>();
        ledger.values().stream().filter(k -> !k.serverSide()).forEach(k -> latestPerJob.merge(k.jobId(), k,
                (a, b) -> a.scheduledAt().isAfter(b.scheduledAt()) ? a : b));
        final Instant horizon = now.minus(LEDGER_RETENTION);
        ledger.values().removeIf(k -> k.scheduledAt().isBefore(horizon) && latestPerJob.get(k.jobId()) != k);
        final List<byte[]> records = new ArrayList<>();
        ledger.values().forEach(k -> records.add(encodeRun(k)));
        pending.values().forEach(p -> records.add(encodeUpdate(p)));
        file.rewrite(records);
        acksSinceCompaction = 0;
    }

    private void remember(final Pending entry) {
        pending.put(entry.seq(), entry);
        final UpdateRunRequest update = entry.update();
        note(new Known(update.getRunId(), update.getJobId(), Instant.ofEpochSecond(update.getScheduledAt().getSeconds(),
                update.getScheduledAt().getNanos()), update.getStatus(), update.getServerSide()));
    }

    private void note(final Known run) {
        final Known current = ledger.get(run.runId());
        if (current == null || !FINAL.contains(current.status())) {
            ledger.put(run.runId(), run);
        }
    }

    private void replay(final byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            switch (in.readByte()) {
                case UPDATE -> {
                    final long seq = in.readLong();
                    final byte[] proto = new byte[in.readInt()];
                    in.readFully(proto);
                    final String artifactDir = in.readUTF();
                    lastSeq = Math.max(lastSeq, seq);
                    remember(new Pending(seq, UpdateRunRequest.parseFrom(proto), artifactDir));
                }
                case ACK -> pending.remove(in.readLong());
                case RUN -> note(new Known(in.readUTF(), in.readUTF(), Instant.ofEpochMilli(in.readLong()),
                        RunStatus.forNumber(in.readInt()), in.readBoolean()));
                default -> log.warn("Run journal: unknown record type; skipped");
            }
        } catch (final InvalidProtocolBufferException e) {
            log.warn("Run journal: an update that does not parse was skipped: {}", e.getMessage());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encodeUpdate(final Pending entry) {
        return encode(out -> {
            out.writeByte(UPDATE);
            out.writeLong(entry.seq());
            final byte[] proto = entry.update().toByteArray();
            out.writeInt(proto.length);
            out.write(proto);
            out.writeUTF(entry.artifactDir());
        });
    }

    private static byte[] encodeAck(final long seq) {
        return encode(out -> {
            out.writeByte(ACK);
            out.writeLong(seq);
        });
    }

    private static byte[] encodeRun(final Known run) {
        return encode(out -> {
            out.writeByte(RUN);
            out.writeUTF(run.runId());
            out.writeUTF(run.jobId());
            out.writeLong(run.scheduledAt().toEpochMilli());
            out.writeInt(run.status().getNumber());
            out.writeBoolean(run.serverSide());
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(final Writer writer) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public synchronized void close() {
        file.close();
    }
}
