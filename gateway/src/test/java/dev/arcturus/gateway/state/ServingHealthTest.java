package dev.arcturus.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The decision rules, with Kafka's answers and the view's positions under the test's control. */
class ServingHealthTest {
    private static final TopicPartition P = new TopicPartition("jobs.job.state.v1", 0);

    private final HealthStatusManager health = new HealthStatusManager();
    private final Map<TopicPartition, Long> read = new HashMap<>();
    private final AtomicReference<Map<TopicPartition, Long>> committed = new AtomicReference<>(Map.of(P, 10L));
    private final AtomicReference<Exception> kafkaDown = new AtomicReference<>();
    private final ServingHealth serving = new ServingHealth(() -> {
        if (kafkaDown.get() != null) {
            throw kafkaDown.get();
        }
        return committed.get();
    }, () -> Map.copyOf(read), health, () -> { });

    private ServingStatus status() {
        final AtomicReference<ServingStatus> answer = new AtomicReference<>();
        ((HealthGrpc.HealthImplBase) health.getHealthService()).check(HealthCheckRequest.getDefaultInstance(),
                new StreamObserver<HealthCheckResponse>() {
            @Override
            public void onNext(final HealthCheckResponse value) {
                answer.set(value.getStatus());
            }

            @Override
            public void onError(final Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        return answer.get();
    }

    @Test
    void servesWhileTheViewKeepsUpWithWhatWasCommittedOneCheckAgo() {
        read.put(P, 3L);
        serving.check();
        assertThat(status()).as("nothing to judge yet: the first ends are the baseline").isEqualTo(ServingStatus.SERVING);
        read.put(P, 10L);
        committed.set(Map.of(P, 25L));
        serving.check();
        assertThat(status()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void stopsServingWhileTheViewIsBehindAndResumesWhenItCatchesUp() {
        read.put(P, 10L);
        serving.check();
        committed.set(Map.of(P, 50L));
        serving.check(); // the view had read up to 10 of the 10 committed a check ago: fine
        assertThat(status()).isEqualTo(ServingStatus.SERVING);
        serving.check(); // now 50 were committed a whole check ago and the view is still at 10
        assertThat(status()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(serving.problem()).contains("view behind on " + P);
        read.put(P, 50L);
        serving.check();
        assertThat(status()).isEqualTo(ServingStatus.SERVING);
        assertThat(serving.problem()).isNull();
    }

    @Test
    void stopsServingWhileKafkaDoesNotAnswerAndServesAgainAfter() {
        read.put(P, 10L);
        serving.check();
        kafkaDown.set(new java.util.concurrent.ExecutionException(new ConnectException("Connection refused")));
        serving.check();
        assertThat(status()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(serving.problem()).startsWith("Kafka unreachable").contains("Connection refused");
        kafkaDown.set(null);
        serving.check();
        assertThat(status()).isEqualTo(ServingStatus.SERVING);
    }
}
