package dev.arcturus.streams;

import dev.arcturus.topics.DeadLetterMeters;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams' log-and-continue handler (which, with a dead-letter topic configured, also writes the record there
 * with the exception in its headers), counting each dead-lettered record as {@code arcturus_dlq_records_total}
 * tagged with the app and the source topic, so DLQ growth can be alerted on.
 */
public final class CountingDeadLetterHandler extends LogAndContinueExceptionHandler {
    private String applicationId = "unknown";

    @Override
    public void configure(final Map<String, ?> configs) {
        super.configure(configs);
        final Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (id != null) {
            applicationId = id.toString();
        }
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        Metrics.counter(DeadLetterMeters.NAME, "component", applicationId, "source", record.topic()).increment();
        return super.handleError(context, record, exception);
    }
}
