package dev.arcturus.testing;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** TopologyTestDriver topics from catalogue descriptors, with the project's serdes. */
public final class DriverTopics {
    private DriverTopics() {
    }

    public static <V extends SpecificRecord> TestInputTopic<String, V> input(final TopologyTestDriver driver,
                                                                            final Topic<V> topic,
                                                                            final SchemaRegistryClient registry) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    }

    public static <V extends SpecificRecord> TestOutputTopic<String, V> output(final TopologyTestDriver driver,
                                                                              final Topic<V> topic,
                                                                              final SchemaRegistryClient registry) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde(registry).deserializer());
    }
}
