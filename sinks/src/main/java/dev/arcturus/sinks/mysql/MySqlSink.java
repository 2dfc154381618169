package dev.arcturus.sinks.mysql;

import dev.arcturus.sinks.delivery.SinkRunner;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mysql.capture.CaptureSettings;
import dev.arcturus.sinks.mysql.capture.CapturedTopics;
import dev.arcturus.sinks.mysql.capture.DatabaseSettings;
import dev.arcturus.sinks.mysql.capture.MySqlCapture;
import java.time.Clock;
import java.time.Duration;

/** The running MySQL sink: the Kafka→MySQL runner, the telemetry retention job and (optionally) the change capture. */
public final class MySqlSink implements AutoCloseable {
    public static final String DEFAULT_NAME = "arcturus-sink-mysql";

    private final SinkRunner runner;
    private final TelemetryRetention retention;
    private final MySqlCapture capture;

    private MySqlSink(final SinkRunner runner, final TelemetryRetention retention, final MySqlCapture capture) {
        this.runner = runner;
        this.retention = retention;
        this.capture = capture;
    }

    public static MySqlSink start(final SinkSettings settings, final MySqlSinkConfig config, final MySqlTopics topics) {
        final MySqlWriter writer = MySqlWriter.open(config, topics);
        final TelemetryRetention retention = new TelemetryRetention(writer.dataSource(), config.telemetryRetention(),
                Clock.systemUTC());
        retention.schedule(config.retentionInterval());
        final SinkRunner runner = SinkRunner.start(settings, writer);
        MySqlCapture capture = null;
        if (config.captureChanges()) {
            try {
                // After the writer: its migration creates the tables the capture reads.
                capture = MySqlCapture.start(CaptureSettings.of(settings.name(), settings.endpoints(),
                        new DatabaseSettings(config.jdbcUrl(), config.user(), config.password()),
                        new CapturedTopics(topics.registrations(), topics.systemInfo(), topics.probes(),
                                topics.origins())),
                        Duration.ofSeconds(60));
            } catch (final RuntimeException e) {
                retention.close();
                runner.close();
                throw e;
            }
        }
        return new MySqlSink(runner, retention, capture);
    }

    /** The change capture, when the sink reads the binary log too. */
    public java.util.Optional<MySqlCapture> capture() {
        return java.util.Optional.ofNullable(capture);
    }

    public SinkRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
        retention.close();
        runner.close();
    }
}
