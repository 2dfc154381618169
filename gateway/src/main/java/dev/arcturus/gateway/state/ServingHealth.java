package dev.arcturus.gateway.state;

import dev.arcturus.config.PlaneEndpoints;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway's gRPC health service says: SERVING only while Kafka answers and the view keeps up. Every
 * {@code interval} it asks Kafka for the committed end of every partition the view follows; the gateway is behind when
 * the view has not yet read what was committed one check earlier (it had a whole interval to). A load balancer or a
 * client's health check then sends callers to another replica instead of one answering from a stale view.
 */
public final class ServingHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingHealth.class);

    /** The committed ends of the view's partitions; throws when Kafka does not answer. */
    @FunctionalInterface
    public interface EndOffsets {
        Map<TopicPartition, Long> now() throws Exception;
    }

    private final EndOffsets ends;
    private final Supplier<Map<TopicPartition, Long>> positions;
    private final HealthStatusManager health;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "gateway-health");
        thread.setDaemon(true);
        return thread;
    });
    private final AutoCloseable resources;
    private Map<TopicPartition, Long> previousEnds = Map.of();
    private volatile String problem = "starting";

    ServingHealth(final EndOffsets ends, final Supplier<Map<TopicPartition, Long>> positions,
                  final HealthStatusManager health, final AutoCloseable resources) {
        this.ends = ends;
        this.positions = positions;
        this.health = health;
        this.resources = resources;
    }

    /** Checks {@code view} against Kafka every {@code interval}, setting {@code health}'s overall status. */
    public static ServingHealth start(final PlaneEndpoints endpoints, final PlaneView view,
                                      final HealthStatusManager health, final Duration interval) {
        final Admin admin = Admin.create(endpoints.clientProperties());
        final Set<TopicPartition> partitions = view.partitions();
        final ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                .timeoutMs((int) interval.toMillis());
        final EndOffsets ends = () -> admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p,
                        p -> OffsetSpec.latest())), committed).all().get(interval.toMillis(), TimeUnit.MILLISECONDS)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        final ServingHealth serving = new ServingHealth(ends, view::positions, health, admin);
        serving.check();
        serving.timer.scheduleWithFixedDelay(serving::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return serving;
    }

    /** One check: sets the status and logs a change of it (never a repeat). */
    void check() {
        String found;
        try {
            final Map<TopicPartition, Long> current = ends.now();
            final Map<TopicPartition, Long> read = positions.get();
            found = previousEnds.entrySet().stream()
                    .filter(end -> read.getOrDefault(end.getKey(), 0L) < end.getValue())
                    .map(end -> "view behind on " + end.getKey() + " (read to " + read.getOrDefault(end.getKey(), 0L)
                            + ", committed " + end.getValue() + " one check ago)")
                    .findFirst().orElse(null);
            previousEnds = current;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (final Exception e) {
            found = "Kafka unreachable: " + (e.getCause() == null ? e : e.getCause());
            previousEnds = Map.of(); // after an outage, judge the view against ends read once Kafka is back
        }
        if (found == null && problem != null) {
            if ("starting".equals(problem)) {
                log.info("Gateway health: SERVING");
            } else {
                log.info("Gateway health: SERVING again ({} resolved)", problem);
            }
            health.setStatus("", ServingStatus.SERVING);
        } else if (found != null && (problem == null || !kind(found).equals(kind(problem)))) {
            log.warn("Gateway health: NOT_SERVING, {}", found);
            health.setStatus("", ServingStatus.NOT_SERVING);
        }
        problem = found;
    }

    /** One log line per kind of trouble, not per check while it lasts. */
    private static String kind(final String problem) {
        return problem.startsWith("Kafka") ? "kafka" : problem.startsWith("view") ? "behind" : problem;
    }

    /** Why the gateway is not serving, or null while it is. */
    public String problem() {
        return problem;
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        resources.close();
    }
}
