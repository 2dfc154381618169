package dev.arcturus.gateway.client;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** The one conversion between {@link Instant} and protobuf's {@link Timestamp}, nanoseconds kept both ways. */
public final class Timestamps {
    private Timestamps() {
    }

    public static Timestamp of(final Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(final Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** Whether the field was left at its default (the epoch), which the API uses for "not set". */
    public static boolean isUnset(final Timestamp timestamp) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0;
    }
}
