package dev.arcturus.connector.journal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.Node;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's last assignment snapshot — its own record and its jobs, each with when the agent first learnt of it —
 * written whole and atomically on every change, so an agent restarted while the plane is unreachable runs its jobs
 * from here.
 */
public final class AssignmentCache {
    private static final Logger log = LoggerFactory.getLogger(AssignmentCache.class);
    private static final byte NODE = 1;
    private static final byte JOB = 2;

    /** What the agent knew of its assignments when it last saved them. */
    public record Snapshot(Optional<Node> node, Map<String, Job> jobs, Map<String, Instant> knownSince) {
    }

    private final Path file;

    public AssignmentCache(final Path file) {
        this.file = file;
    }

    public Snapshot load() {
        Node node = null;
        final Map<String, Job> jobs = new HashMap<>();
        final Map<String, Instant> knownSince = new HashMap<>();
        for (final byte[] record : JournalFile.readAll(file)) {
            final ByteBuffer in = ByteBuffer.wrap(record);
            final byte kind = in.get();
            final Instant since = Instant.ofEpochMilli(in.getLong());
            final byte[] proto = new byte[in.remaining()];
            in.get(proto);
            try {
                if (kind == NODE) {
                    node = Node.parseFrom(proto);
                } else if (kind == JOB) {
                    final Job job = Job.parseFrom(proto);
                    jobs.put(job.getSpec().getId(), job);
                    knownSince.put(job.getSpec().getId(), since);
                }
            } catch (final InvalidProtocolBufferException e) {
                log.warn("Assignment cache {}: a record that does not parse was skipped: {}", file, e.getMessage());
            }
        }
        return new Snapshot(Optional.ofNullable(node), jobs, knownSince);
    }

    public synchronized void save(final Node node, final Map<String, Job> jobs, final Map<String, Instant> knownSince) {
        final List<byte[]> records = new ArrayList<>();
        if (node != null) {
            records.add(record(NODE, Instant.EPOCH, node.toByteArray()));
        }
        jobs.forEach((id, job) -> records.add(record(JOB, knownSince.getOrDefault(id, Instant.now()),
                job.toByteArray())));
        JournalFile.writeAtomically(file, records);
    }

    private static byte[] record(final byte kind, final Instant since, final byte[] proto) {
        return ByteBuffer.allocate(1 + 8 + proto.length).put(kind).putLong(since.toEpochMilli()).put(proto).array();
    }
}
