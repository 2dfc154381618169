package dev.arcturus.gateway.runs;

import dev.arcturus.avro.RunState;
import dev.arcturus.scheduling.runs.RunLifecycle;
import dev.arcturus.serde.GeneratedClassTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.VectorMemTableConfig;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run history on disk: every run the gateway may answer for, in RocksDB, with indexes by job, node, owner and time
 * (see {@link RunKeys}), so a lookup costs a seek and a short scan whatever the history's size, and the heap holds none
 * of it. It is a cache of {@code runs.run.state.v1}: each batch of changes is written atomically with the topic
 * offsets it reaches, so a restarted gateway resumes where it stopped, and a store built for another cluster, topic or
 * record format is dropped and rebuilt from the topic.
 *
 * <p>One writer (the view's follower thread) applies changes and expires old final runs; any thread may read.
 */
public final class RunStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunStore.class);
    /** Changes when the stored bytes would decode differently: then the store is rebuilt. */
    static final String FORMAT = "runs-v1:" + SchemaNormalization.parsingFingerprint64(RunState.getClassSchema());
    /** A scan stops after this many index entries and pages on from there, so a sparse filter stays bounded. */
    static final int MAX_SCAN = 20_000;
    /** Index entries read, and runs fetched, per round of a scan: a page and a little more. */
    private static final int BATCH = 128;

    static {
        RocksDB.loadLibrary();
        GeneratedClassTrust.ensureInstalled(); // decoding a stored run instantiates the generated class
    }

    private final Path directory;
    private final boolean temporary;
    private final LRUCache cache;
    private final Options options;
    /**
     * With the write-ahead log (a killed gateway loses nothing written), except while a new store is bulk loaded:
     * then the offsets, written in the same batches as the runs in one column family, make whatever survives a crash
     * (the flushed memtables) a consistent prefix, and the rest is read again from the topic.
     */
    private final WriteOptions logged = new WriteOptions();
    private final WriteOptions unlogged = new WriteOptions().setDisableWAL(true);
    private volatile WriteOptions writeOptions = logged;
    private static final byte[] EMPTY = new byte[0];
    private volatile RocksDB db;
    private Options bulkOptions;
    private volatile boolean bulkLoading;
    private byte[] expiryCursor;

    private RunStore(final Path directory, final boolean temporary, final long cacheBytes) {
        this.directory = directory;
        this.temporary = temporary;
        this.cache = new LRUCache(cacheBytes);
        this.options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(32L << 20).setMaxWriteBufferNumber(3).setIncreaseParallelism(2)
                // After a bulk load, level 0 holds dozens of files until compaction sorts them: writes must not
                // stall meanwhile (the default stops them at 36 files), or the view falls behind.
                .setLevel0SlowdownWritesTrigger(200).setLevel0StopWritesTrigger(400)
                .setMaxOpenFiles(512).setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
                        .setFilterPolicy(new BloomFilter(10, false)));
    }

    /**
     * Opens the store of {@code settings}, dropping it if it was built from another {@code origin} (cluster and topic
     * identity) or format.
     */
    public static RunStore open(final RunHistorySettings settings, final String origin) {
        final boolean temporary = settings.directory().isEmpty();
        try {
            final Path directory = temporary ? Files.createTempDirectory("arcturus-gateway-runs")
                    : Files.createDirectories(settings.directory().get());
            final RunStore store = new RunStore(directory, temporary, settings.cacheBytes());
            store.openDb(store.options);
            final String builtFor = store.meta("origin").orElse(null);
            final String format = store.meta("format").orElse(null);
            if (builtFor != null && (!origin.equals(builtFor) || !FORMAT.equals(format))) {
                log.info("Run history in {} was built for {} ({}); rebuilding it for {} ({})", directory, builtFor,
                        format, origin, FORMAT);
                store.reset();
            }
            store.putMeta("origin", origin);
            store.putMeta("format", FORMAT);
            return store;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the run history directory " + settings.directory(), e);
        }
    }

    private void openDb(final Options with) {
        try {
            db = RocksDB.open(with, directory.toString());
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot open the run history in " + directory
                    + " (another gateway using the same directory?)", e);
        }
    }

    /** Drops everything (runs and offsets): the next follow starts from the beginning of the topic. */
    public void reset() {
        db.close();
        try (Options destroy = new Options()) {
            RocksDB.destroyDB(directory.toString(), destroy);
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot drop the run history in " + directory, e);
        }
        openDb(options);
        expiryCursor = null;
    }

    /**
     * A fresh store is about to be filled from the whole topic: it is reopened for bulk loading — an unsorted
     * (vector) memtable sorted once at flush, no compression and no compaction until {@link #finishBulkLoad()}, no
     * write-ahead log — so the replay gets the machine instead of sharing it with work redone at the end anyway.
     * Only {@link #apply} may be called meanwhile (searches would be slow); the view serves nothing until then.
     */
    public void startBulkLoad() {
        db.close();
        bulkOptions = new Options().setCreateIfMissing(true).setMemTableConfig(new VectorMemTableConfig())
                .setAllowConcurrentMemtableWrite(false).setCompressionType(CompressionType.NO_COMPRESSION)
                .setDisableAutoCompactions(true).setWriteBufferSize(128L << 20).setMaxWriteBufferNumber(4)
                .setLevel0SlowdownWritesTrigger(10_000).setLevel0StopWritesTrigger(10_000)
                .setIncreaseParallelism(2).setMaxOpenFiles(512).setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache).setFilterPolicy(new BloomFilter(10, false)));
        openDb(bulkOptions);
        writeOptions = unlogged;
        bulkLoading = true;
        log.info("Run history in {} is new: bulk loading from the topic", directory);
    }

    /**
     * Ends a bulk load (from the store's writer thread, between two {@link #apply} calls): flushed to disk, then
     * reopened as usual, with the write-ahead log, and compaction (in the background) sorting the load into levels.
     */
    public void finishBulkLoad() {
        if (!bulkLoading) {
            return;
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot flush the run history in " + directory, e);
        }
        db.close();
        openDb(options);
        bulkOptions.close();
        bulkOptions = null;
        writeOptions = logged;
        bulkLoading = false;
        log.info("Run history in {} loaded ({} keys); compacting in the background", directory, estimatedKeys());
    }

    public boolean bulkLoading() {
        return bulkLoading;
    }


    /** The offsets of the runs topic this store has applied (next offset to read), per partition. */
    public Map<TopicPartition, Long> positions() {
        final Map<TopicPartition, Long> positions = new HashMap<>();
        final byte[] prefix = RunKeys.meta("offset:");
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && RunKeys.startsWith(it.key(), prefix); it.next()) {
                final String name = new String(it.key(), prefix.length, it.key().length - prefix.length,
                        StandardCharsets.UTF_8);
                final int at = name.lastIndexOf('-');
                positions.put(new TopicPartition(name.substring(0, at), Integer.parseInt(name.substring(at + 1))),
                        RunKeys.longOf(it.value()));
            }
        }
        return positions;
    }

    /** One run changed (null: deleted). */
    public record Change(String runId, RunState run, byte[] key, byte[] encoded, List<byte[]> indexEntries) {
        /** The change with its bytes prepared (encoding, index keys), wherever it is made. */
        public Change(final String runId, final RunState run) {
            this(runId, run, RunKeys.run(runId), run == null ? null : encode(run),
                    run == null ? List.of() : RunKeys.indexEntries(run));
        }
    }

    /**
     * Applies changes in order and records the offsets they reach, atomically. Writes are blind (no read of the
     * previous version, which made a replay of millions of runs read-bound): a run's index entries are put again,
     * and an entry left behind by an earlier version whose job, node, owner or time differed is recognised and
     * skipped when read ({@link #query}) and removed by the expiry sweep.
     */
    public void apply(final List<Change> changes, final Map<TopicPartition, Long> reached) {
        try (WriteBatch batch = new WriteBatch()) {
            for (final Change change : changes) {
                if (change.run() == null) {
                    batch.delete(change.key());
                } else {
                    batch.put(change.key(), change.encoded());
                    for (final byte[] entry : change.indexEntries()) {
                        batch.put(entry, EMPTY);
                    }
                }
            }
            reached.forEach((partition, offset) -> putMeta(batch, "offset:" + partition.topic() + "-"
                    + partition.partition(), RunKeys.longBytes(offset)));
            db.write(writeOptions, batch);
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot write run history to " + directory, e);
        }
    }

    public Optional<RunState> get(final String runId) {
        try {
            final byte[] bytes = db.get(RunKeys.run(runId));
            return bytes == null ? Optional.empty() : Optional.of(decode(bytes));
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot read run " + runId + " from " + directory, e);
        }
    }

    /** A page of runs, newest scheduled first, and the sort key to continue after (empty at the end). */
    public record Page(List<RunState> runs, Optional<String> next) {
    }

    /**
     * Runs matching {@code query}, through the narrowest index it names (job, node, owner, else all runs), bounded by
     * its time range. At most {@link #MAX_SCAN} index entries are read per call: past that the page is returned short
     * with a token to go on.
     */
    public Page query(final RunQuery query) {
        final byte[] prefix = !query.jobId().isEmpty() ? RunKeys.indexPrefix(RunKeys.BY_JOB, query.jobId())
                : !query.nodeId().isEmpty() ? RunKeys.indexPrefix(RunKeys.BY_NODE, query.nodeId())
                : !query.ownerId().isEmpty() ? RunKeys.indexPrefix(RunKeys.BY_OWNER, query.ownerId())
                : RunKeys.indexPrefix(RunKeys.BY_TIME, "");
        byte[] start = prefix;
        if (query.to().isBefore(Instant.MAX)) {
            start = max(start, RunKeys.indexEntry(prefix, RunKeys.invert(query.to().toEpochMilli() - 1), ""));
        }
        if (query.after().isPresent()) {
            final byte[] after = RunKeys.after(prefix, query.after().get());
            if (after == null) {
                throw new IllegalArgumentException("not a run page token: " + query.after().get());
            }
            start = max(start, after);
        }
        final long stopBelow = query.from().isAfter(Instant.MIN) ? RunKeys.invert(query.from().toEpochMilli()) : Long.MAX_VALUE;
        final List<RunState> runs = new ArrayList<>();
        final List<byte[]> entries = new ArrayList<>(BATCH);
        try (RocksIterator it = db.newIterator()) {
            int scanned = 0;
            it.seek(start);
            while (true) {
                // Index entries a batch at a time, their runs fetched together (one multiGet, not one get each).
                entries.clear();
                boolean ended = false;
                while (entries.size() < BATCH && scanned < MAX_SCAN) {
                    if (!it.isValid() || !RunKeys.startsWith(it.key(), prefix)
                            || RunKeys.invertedOf(it.key(), prefix) > stopBelow) {
                        ended = true; // past the prefix, or scheduled before the range
                        break;
                    }
                    entries.add(it.key());
                    scanned++;
                    it.next();
                }
                final List<RunState> fetched = fetch(entries, prefix);
                for (int i = 0; i < entries.size(); i++) {
                    final RunState run = fetched.get(i);
                    if (run != null && current(RunKeys.invertedOf(entries.get(i), prefix), run) && query.matches(run)) {
                        if (runs.size() == query.limit()) {
                            return new Page(runs, Optional.of(lastKeyOf(runs)));
                        }
                        runs.add(run);
                    }
                }
                if (ended) {
                    return new Page(runs, Optional.empty());
                }
                if (scanned >= MAX_SCAN) {
                    final byte[] last = entries.get(entries.size() - 1);
                    final String lastKey = RunKeys.sortKey(RunKeys.invertedOf(last, prefix),
                            RunKeys.runIdOf(last, prefix));
                    return new Page(runs, Optional.of(runs.size() == query.limit() ? lastKeyOf(runs) : lastKey));
                }
            }
        }
    }

    /** The runs of these index entries, in order (null where a run is gone). */
    private List<RunState> fetch(final List<byte[]> entries, final byte[] prefix) {
        if (entries.isEmpty()) {
            return List.of();
        }
        final List<byte[]> keys = new ArrayList<>(entries.size());
        for (final byte[] entry : entries) {
            keys.add(RunKeys.run(RunKeys.runIdOf(entry, prefix)));
        }
        try {
            final List<byte[]> values = db.multiGetAsList(keys);
            final List<RunState> runs = new ArrayList<>(values.size());
            for (final byte[] value : values) {
                runs.add(value == null ? null : decode(value));
            }
            return runs;
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot read runs from " + directory, e);
        }
    }

    /**
     * Whether an index entry at this time belongs to the run as it is now (its job, node and owner are checked by
     * the query itself); false for an entry an earlier version of the run left behind.
     */
    private static boolean current(final long inverted, final RunState run) {
        return inverted == RunKeys.invert(run.getScheduledAt().toEpochMilli());
    }

    private static String lastKeyOf(final List<RunState> runs) {
        return RunKeys.sortKey(runs.get(runs.size() - 1));
    }

    private static byte[] max(final byte[] a, final byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * Removes final runs scheduled before {@code cutoff}, reading at most {@code budget} index entries per call and
     * going on from there at the next call, so the follower thread that calls it is never held for long. Open runs
     * stay, however old.
     *
     * @return how many runs were removed; the sweep is complete when {@link #expiring()} is false afterwards
     */
    public int expire(final Instant cutoff, final int budget) {
        final byte[] prefix = RunKeys.indexPrefix(RunKeys.BY_TIME, "");
        final byte[] first = RunKeys.indexEntry(prefix, RunKeys.invert(cutoff.toEpochMilli() - 1), "");
        final byte[] start = expiryCursor == null ? first : max(first, expiryCursor);
        int removed = 0;
        int read = 0;
        try (RocksIterator it = db.newIterator(); WriteBatch batch = new WriteBatch()) {
            it.seek(start);
            for (; it.isValid() && RunKeys.startsWith(it.key(), prefix) && read < budget; it.next(), read++) {
                final String runId = RunKeys.runIdOf(it.key(), prefix);
                final Optional<RunState> run = get(runId);
                if (run.isEmpty() || !current(RunKeys.invertedOf(it.key(), prefix), run.get())) {
                    batch.delete(it.key()); // left by a deleted run or an earlier version of this one
                } else if (RunLifecycle.isFinal(run.get().getStatus())) {
                    batch.delete(RunKeys.run(runId));
                    for (final byte[] entry : RunKeys.indexEntries(run.get())) {
                        batch.delete(entry);
                    }
                    removed++;
                }
            }
            expiryCursor = it.isValid() && RunKeys.startsWith(it.key(), prefix) ? it.key() : null;
            db.write(writeOptions, batch);
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot expire run history in " + directory, e);
        }
        return removed;
    }

    /** Whether an expiry sweep has more to read. */
    public boolean expiring() {
        return expiryCursor != null;
    }

    /** RocksDB's estimate of how many keys (runs and index entries) the store holds. */
    public long estimatedKeys() {
        try {
            return db.getLongProperty("rocksdb.estimate-num-keys");
        } catch (final RocksDBException e) {
            return -1;
        }
    }

    public Path directory() {
        return directory;
    }

    private Optional<String> meta(final String name) {
        try {
            final byte[] value = db.get(RunKeys.meta(name));
            return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot read the run history in " + directory, e);
        }
    }

    private void putMeta(final String name, final String value) {
        try {
            db.put(RunKeys.meta(name), value.getBytes(StandardCharsets.UTF_8));
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot write the run history in " + directory, e);
        }
    }

    private static void putMeta(final WriteBatch batch, final String name, final byte[] value) {
        try {
            batch.put(RunKeys.meta(name), value);
        } catch (final RocksDBException e) {
            throw new IllegalStateException("cannot batch run history metadata", e);
        }
    }

    private static byte[] encode(final RunState run) {
        try {
            final ByteBuffer buffer = run.toByteBuffer();
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode run " + run.getRunId(), e);
        }
    }

    private static RunState decode(final byte[] bytes) {
        try {
            return RunState.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot decode a stored run", e);
        }
    }

    @Override
    public void close() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush); // a clean stop resumes exactly where it stopped
        } catch (final RocksDBException e) {
            log.warn("Could not flush the run history in {}; it will be read again from the topic", directory, e);
        }
        db.close();
        options.close();
        if (bulkOptions != null) {
            bulkOptions.close();
        }
        logged.close();
        unlogged.close();
        cache.close();
        if (temporary) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (final IOException e) {
                log.warn("Could not remove the temporary run history {}", directory, e);
            }
        }
    }
}
