package dev.arcturus.sinks.delivery;

import dev.arcturus.topics.DeadLetterMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A sink's Prometheus meters: records written (the write rate), batch write time, dead letters, whether the store is
 * unreachable right now, and its consumer's own metrics (records lag among them), all tagged {@code sink=<name>}.
 */
final class SinkMeters implements AutoCloseable {
    private final Counter written;
    private final Timer batchWrite;
    private final String sink;
    private final AtomicInteger storeDown = new AtomicInteger();
    private final KafkaClientMetrics consumerMetrics;

    SinkMeters(final String sink, final Consumer<?, ?> consumer) {
        this.sink = sink;
        written = Counter.builder("arcturus.sink.records.written").description("Records written to the store")
                .tag("sink", sink).register(Metrics.globalRegistry);
        batchWrite = Timer.builder("arcturus.sink.batch.write").description("Time to write one batch in one transaction")
                .tag("sink", sink).publishPercentileHistogram().register(Metrics.globalRegistry);
        io.micrometer.core.instrument.Gauge.builder("arcturus.sink.store.unavailable", storeDown, AtomicInteger::get)
                .description("1 while the store is unreachable and the sink waits (nothing is committed meanwhile)")
                .tag("sink", sink).register(Metrics.globalRegistry);
        consumerMetrics = new KafkaClientMetrics(consumer, Tags.of("sink", sink));
        consumerMetrics.bindTo(Metrics.globalRegistry);
    }

    void written(final int records, final Duration took) {
        written.increment(records);
        batchWrite.record(took);
        storeDown.set(0);
    }

    void storeUnavailable() {
        storeDown.set(1);
    }

    void deadLettered(final String sourceTopic) {
        Metrics.counter(DeadLetterMeters.NAME, "component", sink, "source", sourceTopic).increment();
    }

    @Override
    public void close() {
        consumerMetrics.close();
    }
}
