package dev.arcturus.sinks.mongo;

import dev.arcturus.sinks.delivery.SinkRunner;
import dev.arcturus.sinks.delivery.SinkSettings;

/** The running MongoDB sink. */
public final class MongoSink implements AutoCloseable {
    public static final String DEFAULT_NAME = "arcturus-sink-mongo";

    private final SinkRunner runner;

    private MongoSink(final SinkRunner runner) {
        this.runner = runner;
    }

    public static MongoSink start(final SinkSettings settings, final MongoSinkConfig config, final MongoTopics topics) {
        return new MongoSink(SinkRunner.start(settings, MongoWriter.open(config, topics)));
    }

    public SinkRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        runner.close();
    }
}
