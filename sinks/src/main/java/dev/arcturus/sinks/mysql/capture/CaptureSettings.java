package dev.arcturus.sinks.mysql.capture;

import dev.arcturus.bus.BusAccess;
import dev.arcturus.config.PlaneEndpoints;
import java.util.Objects;

/**
 * The MySQL change capture's settings.
 *
 * @param name      the MySQL sink's name: the capture's transactional id is {@code <name>.capture}, its position
 *                  topic {@code <name>.capture-position}, and bad rows go to the sink's {@code <name>.dlq}
 * @param endpoints Kafka bootstrap and schema registry, as the sink's principal
 * @param database  the database whose binary log is read (the sink's)
 * @param serverId  the replica id the capture announces to the server: unique among the server's replicas
 * @param topics    the sink's topics: the capture writes registrations and domain origins to the same ones
 */
public record CaptureSettings(String name, PlaneEndpoints endpoints, DatabaseSettings database, long serverId,
                              CapturedTopics topics) {
    public CaptureSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(topics, "topics");
        if (serverId < 1 || serverId > 4_294_967_295L) {
            throw new IllegalArgumentException("capture server id: must be 1..2^32-1, was " + serverId);
        }
    }

    /** A server id derived from the sink's name, so two planes' captures on one server do not collide. */
    public static CaptureSettings of(final String name, final PlaneEndpoints endpoints, final DatabaseSettings database,
                                     final CapturedTopics topics) {
        return new CaptureSettings(name, endpoints, database, 1_000_000L + (name.hashCode() & 0x3fffffff), topics);
    }

    public String transactionalId() {
        return name + BusAccess.CAPTURE_TRANSACTION_SUFFIX;
    }

    public String positionTopic() {
        return name + BusAccess.CAPTURE_POSITION_SUFFIX;
    }

    public String deadLetterTopic() {
        return name + ".dlq";
    }
}
