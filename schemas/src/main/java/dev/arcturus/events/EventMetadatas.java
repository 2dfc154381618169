package dev.arcturus.events;

import dev.arcturus.avro.EventMetadata;
import java.time.Clock;
import java.util.UUID;

/** Creates the common envelope every value record carries. */
public final class EventMetadatas {
    private EventMetadatas() {
    }

    /** A fresh envelope: a random event id, the clock's current instant, and the producing component. */
    public static EventMetadata newMetadata(final String producer, final Clock clock) {
        return EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID())
                .setOccurredAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .setProducer(producer)
                .build();
    }
}
