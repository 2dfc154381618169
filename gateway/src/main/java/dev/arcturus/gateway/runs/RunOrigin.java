package dev.arcturus.gateway.runs;

import dev.arcturus.config.PlaneEndpoints;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * Which topic a run store was built from: the cluster's id and the topic's id. A topic deleted and created again
 * (or another cluster behind the same address) gets a new id, so offsets stored for the old one are never trusted.
 */
public final class RunOrigin {
    private RunOrigin() {
    }

    public static String of(final PlaneEndpoints endpoints, final String topic) {
        try (Admin admin = Admin.create(endpoints.clientProperties())) {
            final String cluster = admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
            final Uuid topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(topic).topicId();
            return cluster + "/" + topic + "/" + topicId;
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot identify " + topic + " at " + endpoints.kafkaBootstrap(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted identifying " + topic, e);
        }
    }
}
