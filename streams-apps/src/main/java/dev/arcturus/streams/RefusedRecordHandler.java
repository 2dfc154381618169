package dev.arcturus.streams;

import dev.arcturus.topics.DeadLetterMeters;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The apps' processing exception handler: a {@link RefusedRecordException} is logged and dead-lettered (with the
 * reason in the record's {@code __streams.errors.*} headers) and processing resumes; anything else fails as Kafka
 * Streams' default does, so a bug is never skipped silently.
 */
public final class RefusedRecordHandler extends LogAndContinueProcessingExceptionHandler {
    private final LogAndFailProcessingExceptionHandler failing = new LogAndFailProcessingExceptionHandler();
    private String applicationId = "unknown";

    @Override
    public void configure(final Map<String, ?> configs) {
        super.configure(configs);
        failing.configure(configs);
        final Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (id != null) {
            applicationId = id.toString();
        }
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                final Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedRecordException) {
                Metrics.counter(DeadLetterMeters.NAME, "component", applicationId, "source", context.topic())
                        .increment();
                return super.handleError(context, record, exception);
            }
        }
        return failing.handleError(context, record, exception);
    }
}
