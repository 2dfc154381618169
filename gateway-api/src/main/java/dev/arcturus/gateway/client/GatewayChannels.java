package dev.arcturus.gateway.client;

import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/** How clients (the CLI, node connectors, benchmarks) reach the gateway: a channel, and the bearer token per call. */
public final class GatewayChannels {

    private GatewayChannels() {
    }

    /** Reads: safe to send again to another replica when the first did not answer. */
    private static final List<String> READ_PREFIXES = List.of("Get", "List", "Verify");
    private static final List<ServiceDescriptor> SERVICES = List.of(ConfigServiceGrpc.getServiceDescriptor(),
            NodeServiceGrpc.getServiceDescriptor(), UserServiceGrpc.getServiceDescriptor(),
            JobServiceGrpc.getServiceDescriptor(), PlaneServiceGrpc.getServiceDescriptor(),
            RunServiceGrpc.getServiceDescriptor(), TaskServiceGrpc.getServiceDescriptor());

    /**
     * A channel to {@code target}: {@code host:port}, or several replicas as {@code host1:port,host2:port}
     * ({@link GatewayList}); TLS trusting {@code caCertificate} (or the system's roots), or plaintext for loopback
     * tests.
     */
    public static ManagedChannel open(final String target, final Optional<Path> caCertificate, final boolean plaintext) {
        return builder(target, caCertificate, plaintext).build();
    }

    /** The builder behind {@link #open}, for a client that tunes its transport before building. */
    public static ManagedChannelBuilder<?> builder(final String target, final Optional<Path> caCertificate,
                                                  final boolean plaintext) {
        final ChannelCredentials credentials;
        try {
            credentials = plaintext ? InsecureChannelCredentials.create()
                    : caCertificate.isEmpty() ? TlsChannelCredentials.create()
                    : TlsChannelCredentials.newBuilder().trustManager(caCertificate.get().toFile()).build();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the CA certificate " + caCertificate.get(), e);
        }
        return Grpc.newChannelBuilder(GatewayList.target(target), credentials)
                .defaultServiceConfig(serviceConfig()).enableRetry();
    }

    /**
     * Stay on one replica ({@code pick_first}) and move on when it goes; a read that meets UNAVAILABLE (the replica
     * died under it) is sent again, to the next replica, up to four times within about three seconds. Writes are
     * not: one might have been applied before the replica died, so the caller decides (gRPC still retries any call
     * that never left the client).
     */
    static Map<String, Object> serviceConfig() {
        final List<Object> reads = new ArrayList<>();
        for (final ServiceDescriptor service : SERVICES) {
            for (final MethodDescriptor<?, ?> method : service.getMethods()) {
                if (method.getType() == MethodDescriptor.MethodType.UNARY
                        && READ_PREFIXES.stream().anyMatch(method.getBareMethodName()::startsWith)) {
                    reads.add(Map.of("service", service.getName(), "method", method.getBareMethodName()));
                }
            }
        }
        final Map<String, Object> retry = Map.of("maxAttempts", 4.0, "initialBackoff", "0.2s",
                "maxBackoff", "1.5s", "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE"));
        return Map.of("loadBalancingConfig", List.of(Map.of("pick_first", Map.of())),
                "methodConfig", List.of(Map.of("name", reads, "retryPolicy", retry)));
    }

    /** Sends {@code authorization: Bearer <token>} with every call. */
    public static CallCredentials bearer(final String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(final RequestInfo info, final Executor executor,
                                             final MetadataApplier applier) {
                final Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(headers);
            }
        };
    }
}
