package dev.arcturus.sinks.mysql.capture;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.arcturus.sinks.delivery.Backoff;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL as an input: reads the row-based binary log and turns inserts, updates and deletes of node_region and
 * domain_origin — an operator's {@code init_nodes.sql}, a tool, a hand-edit — into registrations and domain origins on
 * the plane's topics (DESIGN.md beside the sink).
 *
 * <p>Each binary-log transaction becomes one Kafka transaction holding its records and the binary-log position after
 * it, so a restart resumes exactly where the last committed transaction ended: nothing lost, nothing twice. The first
 * start copies the two tables from a consistent snapshot and streams from the position of that snapshot. Rows the
 * sink itself wrote come back through the log and change nothing ({@link RowMapping}); a row the plane cannot take
 * goes to the sink's dead-letter topic with the reason. On any failure (database or broker gone) the reader drops
 * what it had not committed and reconnects from the committed position, backing off while it stays down.
 */
public final class MySqlCapture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MySqlCapture.class);
    /**
     * The binary log client logs through java.util.logging, a line per connection; this class logs each state change
     * itself (with the position), so the client's own lines are kept to warnings. Held here so the setting stays.
     */
    private static final java.util.logging.Logger BINLOG_CLIENT_LOG = quiet("com.github.shyiko.mysql.binlog");
    /** The tables read; others in the log are skipped. */
    static final Set<String> TABLES = Set.of("node_region", "domain_origin", "region_probe_info", "system_info");
    /** Read in full at the first start; telemetry tables only from then on. */
    static final Set<String> SNAPSHOT_TABLES = Set.of("node_region", "domain_origin");
    /** Even with nothing to say, the position moves on this often (so a purged log file is never needed again). */
    private static final Duration POSITION_EVERY = Duration.ofSeconds(10);

    private final CaptureSettings settings;
    private final CaptureStore store;
    private final PlaneState plane;
    private final RowMapping mapping;
    private final TableColumns columns;
    private final RowClaims claims;
    private final Thread supervisor;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<BinaryLogClient> client = new AtomicReference<>();
    private volatile boolean closing;
    private volatile BinlogPosition committed;

    // Read by the binary-log client's thread only.
    private final Map<Long, String> tablesById = new HashMap<>();
    private final List<RowChange> pending = new ArrayList<>();
    private String file;
    private long lastPositionWrite;
    private boolean announced;

    private MySqlCapture(final CaptureSettings settings) {
        this.settings = settings;
        this.store = new CaptureStore(settings);
        this.plane = new PlaneState(settings.endpoints(), settings.topics());
        this.mapping = new RowMapping(plane, settings.topics(), Clock.systemUTC());
        this.columns = new TableColumns(settings.database());
        this.claims = new RowClaims(settings.database());
        this.supervisor = new Thread(this::supervise, settings.name() + "-capture");
        this.supervisor.setDaemon(true);
    }

    private static java.util.logging.Logger quiet(final String name) {
        final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** Starts reading; returns once the first connection to the binary log is up (or fails). */
    public static MySqlCapture start(final CaptureSettings settings, final Duration timeout) {
        final MySqlCapture capture = new MySqlCapture(settings);
        capture.supervisor.start();
        try {
            if (!capture.started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                capture.close();
                throw new IllegalStateException("MySQL change capture did not connect to the binary log within "
                        + timeout + " (" + settings.database().safeUrl() + ")");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            capture.close();
            throw new IllegalStateException("interrupted starting the MySQL change capture", e);
        }
        return capture;
    }

    /** The binary-log position of the last committed transaction. */
    public BinlogPosition committedPosition() {
        return committed;
    }

    private void supervise() {
        final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        boolean reportedDown = false;
        while (!closing) {
            try {
                plane.catchUp(Duration.ofSeconds(60));
                committed = store.position().orElse(null);
                if (committed == null) {
                    committed = snapshot();
                }
                stream(committed);
                backoff.reset();
                reportedDown = false;
            } catch (final RuntimeException | IOException e) {
                if (closing) {
                    break;
                }
                if (!reportedDown) {
                    log.warn("MySQL change capture interrupted at {}; reconnecting from the last committed position "
                            + "with backoff", committed, e);
                    reportedDown = true;
                }
                store.abortQuietly();
                sleep(backoff.nextDelay());
            }
        }
    }

    /** The two tables as they are, at a consistent binary-log position (no lock). */
    private BinlogPosition snapshot() {
        final TableSnapshot snapshot = TableSnapshot.read(settings.database(), SNAPSHOT_TABLES);
        final List<RowMapping.Output> outputs = new ArrayList<>();
        final List<CaptureStore.Rejected> rejected = new ArrayList<>();
        for (final TableRow row : snapshot.rows()) {
            mapRow(new RowChange(null, row), outputs, rejected, snapshot.position());
        }
        store.commit(outputs, rejected, snapshot.position());
        outputs.forEach(o -> plane.produced(o.topic(), o.key(), o.value()));
        log.info("MySQL change capture took {} rows of {} from a snapshot at {}: {} record(s) for the plane, {} "
                + "dead-lettered", snapshot.rows().size(), SNAPSHOT_TABLES, snapshot.position(), outputs.size(), rejected.size());
        return snapshot.position();
    }

    /** Streams from {@code from} until the connection ends; throws if it ended by a failure. */
    private void stream(final BinlogPosition from) throws IOException {
        final DatabaseSettings db = settings.database();
        final BinaryLogClient reader = new BinaryLogClient(db.host(), db.port(), db.user(), db.password());
        reader.setServerId(settings.serverId());
        reader.setBinlogFilename(from.file());
        reader.setBinlogPosition(from.position());
        // Our own reconnection restarts from the committed position with nothing half-read; the client's would not.
        reader.setKeepAlive(false);
        reader.setHeartbeatInterval(5_000);
        final EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        reader.setEventDeserializer(deserializer);
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        reader.registerEventListener(event -> {
            try {
                onEvent(event);
            } catch (final RuntimeException e) {
                failure.set(e);
                disconnectQuietly(reader);
            }
        });
        tablesById.clear();
        pending.clear();
        announced = false;
        file = from.file();
        lastPositionWrite = System.nanoTime();
        client.set(reader);
        try {
            reader.connect(); // blocks, reading, until disconnected
        } finally {
            client.set(null);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (!closing) {
            throw new IOException("the binary log connection to " + db.host() + ":" + db.port() + " ended");
        }
    }

    private void onEvent(final Event event) {
        final EventType type = event.getHeader().getEventType();
        switch (type) {
            case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
            case FORMAT_DESCRIPTION -> {
                if (!announced) {
                    // Once per connection: the server sends one per binary-log file it moves through.
                    announced = true;
                    started.countDown();
                    log.info("MySQL change capture reading {}'s binary log from {}", settings.database().safeUrl(),
                            committed);
                }
            }
            case TABLE_MAP -> {
                final TableMapEventData map = event.getData();
                if (settings.database().name().equals(map.getDatabase()) && TABLES.contains(map.getTable())) {
                    tablesById.put(map.getTableId(), map.getTable());
                }
            }
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                final WriteRowsEventData rows = event.getData();
                final String table = tablesById.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(after -> pending.add(new RowChange(null, row(table, after))));
                }
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                final UpdateRowsEventData rows = event.getData();
                final String table = tablesById.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(pair -> pending.add(new RowChange(row(table, pair.getKey()),
                            row(table, pair.getValue()))));
                }
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                final DeleteRowsEventData rows = event.getData();
                final String table = tablesById.get(rows.getTableId());
                if (table != null) {
                    rows.getRows().forEach(before -> pending.add(new RowChange(row(table, before), null)));
                }
            }
            case XID -> commit(event);
            case QUERY -> {
                final String sql = ((QueryEventData) event.getData()).getSql();
                if ("COMMIT".equalsIgnoreCase(sql)) {
                    commit(event); // a non-transactional engine's statement group ends this way
                } else if (!"BEGIN".equalsIgnoreCase(sql)) {
                    columns.forget(); // DDL: column positions may have moved
                }
            }
            default -> {
            }
        }
    }

    private TableRow row(final String table, final Serializable[] values) {
        final List<String> names = columns.of(table, values.length);
        final Map<String, Object> byName = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            byName.put(names.get(i), values[i]);
        }
        return new TableRow(table, byName);
    }

    /** The end of one binary-log transaction: its records and the position after it, in one Kafka transaction. */
    private void commit(final Event event) {
        final BinlogPosition after = new BinlogPosition(file,
                ((EventHeaderV4) event.getHeader()).getNextPosition());
        final boolean due = System.nanoTime() - lastPositionWrite > POSITION_EVERY.toNanos();
        if (pending.isEmpty() && !due) {
            return;
        }
        final List<RowMapping.Output> outputs = new ArrayList<>();
        final List<CaptureStore.Rejected> rejected = new ArrayList<>();
        if (!pending.isEmpty()) {
            plane.catchUp(Duration.ofSeconds(30));
            for (final RowChange change : pending) {
                mapRow(change, outputs, rejected, after);
            }
        }
        // Claims first: should the Kafka commit then fail, the rows are read again and claimed the same way.
        claims.claim(outputs);
        store.commit(outputs, rejected, after);
        outputs.forEach(o -> plane.produced(o.topic(), o.key(), o.value()));
        committed = after;
        lastPositionWrite = System.nanoTime();
        for (final RowMapping.Output output : outputs) {
            if (output.claim() == null) {
                log.info("MySQL change of {} {} {} at {}", output.topic(), output.key(),
                        output.value() == null ? "deleted" : "set", after);
            }
        }
        pending.clear();
    }

    private void mapRow(final RowChange change, final List<RowMapping.Output> outputs,
                        final List<CaptureStore.Rejected> rejected, final BinlogPosition at) {
        try {
            outputs.addAll(mapping.map(change));
        } catch (final RowMapping.BadRow e) {
            final TableRow row = change.after() != null ? change.after() : change.before();
            rejected.add(new CaptureStore.Rejected(row, e.getMessage(), at));
            log.warn("MySQL row of {} at {} dead-lettered: {}", row.table(), at, e.getMessage());
        }
    }

    private static void disconnectQuietly(final BinaryLogClient reader) {
        // From another thread: disconnecting from inside the client's own listener would wait for itself.
        final Thread stop = new Thread(() -> {
            try {
                reader.disconnect();
            } catch (final IOException e) {
                log.debug("Closing the binary log connection", e);
            }
        }, "capture-disconnect");
        stop.setDaemon(true);
        stop.start();
    }

    private void sleep(final Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    @Override
    public void close() {
        closing = true;
        final BinaryLogClient reader = client.get();
        if (reader != null) {
            try {
                reader.disconnect();
            } catch (final IOException e) {
                log.debug("Closing the binary log connection", e);
            }
        }
        supervisor.interrupt();
        try {
            supervisor.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        plane.close();
        store.close();
    }
}
