package dev.arcturus.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.events.EntityIds;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void shouldMintDistinctValidIdsInTheNodesPartition() {
        final Random random = new Random(3);
        final Set<String> seen = new HashSet<>();
        final int[] partitionsHit = new int[TopicCatalog.ADMISSION_NODE_STEP.partitions()];
        for (int i = 0; i < 600; i++) {
            final String node = "node-" + i;
            final String id = JobIds.mintFor(node, random);

            assertThat(id).startsWith(JobIds.PREFIX).matches(EntityIds.ID);
            assertThat(TopicCatalog.JOB_COMMAND.partitionOf(id))
                    .isEqualTo(TopicCatalog.ADMISSION_NODE_STEP.partitionOf(node));
            assertThat(JobIds.coPartitioned(id, node)).isTrue();
            assertThat(seen.add(id)).as("minted twice: %s", id).isTrue();
            partitionsHit[TopicCatalog.JOB_COMMAND.partitionOf(id)]++;
        }
        assertThat(java.util.Arrays.stream(partitionsHit).min().orElseThrow()).as("every partition gets jobs").isPositive();
    }

    @Test
    void shouldPartitionAsKafkasDefaultPartitionerDoes() {
        // murmur2 of the key's UTF-8 bytes, as the producer's BuiltInPartitioner computes it.
        for (final String key : new String[] {"a", "node-17", "job-8000000000000000", "ünïcode"}) {
            final byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(TopicCatalog.JOB_COMMAND.partitionOf(key)).isEqualTo(
                    org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(bytes,
                            TopicCatalog.JOB_COMMAND.partitions()));
        }
    }
}
