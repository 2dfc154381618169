package dev.arcturus.registry.server;

import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import java.time.Duration;

/**
 * One real broker for this module's tests. (The shared test-support fixture depends on this module, so the
 * registry's own tests hold their broker here.)
 */
final class TestBroker {
    private static EmbeddedKafkaBroker broker;

    private TestBroker() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.throwaway().start(Duration.ofSeconds(90));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-broker-shutdown"));
        }
        return broker.bootstrapServers();
    }
}
