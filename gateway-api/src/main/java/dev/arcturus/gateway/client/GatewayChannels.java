package dev.arcturus.gateway.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;

/** How clients (the CLI, node connectors, benchmarks) reach the gateway: a channel, and the bearer token per call. */
public final class GatewayChannels {

    private GatewayChannels() {
    }

    /**
     * A channel to {@code target} (host:port): TLS trusting {@code caCertificate} (or the system's roots), or
     * plaintext for loopback tests.
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
        return Grpc.newChannelBuilder(target, credentials);
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
