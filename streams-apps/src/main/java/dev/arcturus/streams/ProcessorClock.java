package dev.arcturus.streams;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/** The processor context's wall clock as a {@link Clock}, so TopologyTestDriver can drive time in tests. */
public final class ProcessorClock extends Clock {
    private final ProcessorContext<?, ?> context;

    public ProcessorClock(final ProcessorContext<?, ?> context) {
        this.context = context;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("the processor clock is UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
