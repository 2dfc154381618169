package dev.arcturus.liveness;

import dev.arcturus.avro.NodeLiveness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * "Which nodes were active within the last N seconds?" for any N, from the liveness store (at most one tick stale).
 * With several instances each answers for its own partitions; a caller asks every instance
 * ({@link KafkaStreams#metadataForAllClients()}) and merges.
 */
public final class LivenessQuery {
    private LivenessQuery() {
    }

    public static List<NodeLiveness> activeWithin(final KafkaStreams streams, final Duration window, final Instant now) {
        final ReadOnlyKeyValueStore<String, NodeLiveness> store = streams.store(StoreQueryParameters
                .fromNameAndType(LivenessTopology.LIVENESS_STORE, QueryableStoreTypes.keyValueStore()));
        return activeWithin(store, window, now);
    }

    public static List<NodeLiveness> activeWithin(final ReadOnlyKeyValueStore<String, NodeLiveness> store,
                                                  final Duration window, final Instant now) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("window: must not be negative, was " + window);
        }
        final Instant cutoff = now.minus(window);
        final List<NodeLiveness> active = new ArrayList<>();
        try (KeyValueIterator<String, NodeLiveness> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<String, NodeLiveness> entry = all.next();
                if (!entry.value.getLastActive().isBefore(cutoff)) {
                    active.add(entry.value);
                }
            }
        }
        return active;
    }
}
