package dev.arcturus.sinks.mysql;

import dev.arcturus.sinks.delivery.SinkRunner;
import dev.arcturus.sinks.delivery.SinkSettings;
import java.time.Clock;

/** The running MySQL sink: the Kafka→MySQL runner plus the telemetry retention job. */
public final class MySqlSink implements AutoCloseable {
    public static final String DEFAULT_NAME = "arcturus-sink-mysql";

    private final SinkRunner runner;
    private final TelemetryRetention retention;

    private MySqlSink(final SinkRunner runner, final TelemetryRetention retention) {
        this.runner = runner;
        this.retention = retention;
    }

    public static MySqlSink start(final SinkSettings settings, final MySqlSinkConfig config, final MySqlTopics topics) {
        final MySqlWriter writer = MySqlWriter.open(config, topics);
        final TelemetryRetention retention = new TelemetryRetention(writer.dataSource(), config.telemetryRetention(),
                Clock.systemUTC());
        retention.schedule(config.retentionInterval());
        return new MySqlSink(SinkRunner.start(settings, writer), retention);
    }

    public SinkRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        retention.close();
        runner.close();
    }
}
