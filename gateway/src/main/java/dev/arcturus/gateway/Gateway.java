package dev.arcturus.gateway;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.api.ConfigApi;
import dev.arcturus.gateway.api.JobApi;
import dev.arcturus.gateway.api.NodeApi;
import dev.arcturus.gateway.api.Plane;
import dev.arcturus.gateway.api.PlaneApi;
import dev.arcturus.gateway.api.RunApi;
import dev.arcturus.gateway.api.TaskApi;
import dev.arcturus.gateway.api.UserApi;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.auth.AuditInterceptor;
import dev.arcturus.gateway.auth.AuditLog;
import dev.arcturus.gateway.auth.AuthInterceptor;
import dev.arcturus.gateway.dashboard.DashboardServer;
import dev.arcturus.gateway.observe.CallMetricsInterceptor;
import dev.arcturus.gateway.state.DecisionWaiter;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.gateway.state.PlaneWriter;
import dev.arcturus.gateway.state.ServingHealth;
import dev.arcturus.gateway.state.ViewDirectory;
import dev.arcturus.gateway.watch.StreamGuard;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC gateway: LEOScope's API and the Arcturus data over the plane's topics. Stateless apart from its view, so
 * any number of instances can serve behind a load balancer. The server builder is injected (as in grpc-java's
 * examples), so tests run the same services in-process.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration HEALTH_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration VIEW_LOAD_TIMEOUT = Duration.ofMinutes(10); // a new replica replays years of runs

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Optional<java.nio.file.Path> newAdminTokenFile;
    private final Optional<DashboardServer> dashboard;
    private StreamGuard streamGuard;
    private dev.arcturus.gateway.api.OperatorValuesApplier operatorValues;

    private Gateway(final ServerBuilder<?> builder, final PlaneEndpoints endpoints, final GatewaySettings settings,
                    final Clock clock) throws IOException {
        final PlaneView view = PlaneView.start(endpoints, PlaneView.TOPICS, settings.runHistory(), clock,
                VIEW_LOAD_TIMEOUT);
        resources.push(view);
        try {
            final PlaneWriter writer = new PlaneWriter(endpoints, view);
            resources.push(writer);
            final DecisionWaiter decisions = new DecisionWaiter(endpoints);
            resources.push(decisions);
            final ViewDirectory directory = new ViewDirectory(view, clock);
            streamGuard = new StreamGuard(directory);
            resources.push(streamGuard);
            final Watches watches = new Watches(endpoints, view, streamGuard);
            resources.push(watches);
            newAdminTokenFile = AdminBootstrap.ensureAdmin(view, writer, settings.adminTokenFile(),
                    Optional.ofNullable(System.getenv(AdminBootstrap.ADMIN_TOKEN_ENV)), clock);
            final Plane plane = new Plane(view, writer, decisions, clock, settings.decisionDeadline(),
                    settings.artifactStorage().map(connection -> ArtifactStore.connect(connection, clock)));
            operatorValues = new dev.arcturus.gateway.api.OperatorValuesApplier(plane);
            // The last interceptor listed runs first: count, authenticate, then audit.
            final AuditLog audit = (principal, entry) -> writer.sendAsync(TopicCatalog.AUDIT, principal, entry);
            final ServerInterceptor[] chain = {new AuditInterceptor(audit, clock),
                new AuthInterceptor(directory), new CallMetricsInterceptor()};
            final UserApi users = new UserApi(plane);
            builder.addService(guarded(users, chain))
                    .addService(guarded(new JobApi(plane, watches), chain))
                    .addService(guarded(new RunApi(plane, watches), chain))
                    .addService(guarded(new NodeApi(plane, users, watches), chain))
                    .addService(guarded(new TaskApi(plane, watches), chain))
                    .addService(guarded(new ConfigApi(plane), chain))
                    .addService(guarded(new PlaneApi(plane, watches), chain))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance());
            server = builder.build().start();
            dashboard = settings.dashboardPort() < 0 ? Optional.empty()
                    : Optional.of(track(DashboardServer.start(settings.host(), settings.dashboardPort(), settings.tls(),
                            plane, new ViewDirectory(view, clock), endpoints)));
            // SERVING only while Kafka answers and the view keeps up (checked every 2 s from now on).
            track(ServingHealth.start(endpoints, view, health, HEALTH_CHECK_INTERVAL));
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** An API behind the interceptor chain, with unparseable requests refused as INVALID_ARGUMENT. */
    private static io.grpc.ServerServiceDefinition guarded(final io.grpc.BindableService api,
                                                          final ServerInterceptor[] chain) {
        return dev.arcturus.gateway.api.UnparseableRequests.guard(ServerInterceptors.intercept(api, chain));
    }

    /**
     * Applies seed 000's configuration files (routing policy, nodes to register); idempotent, so every replica may
     * apply the same files at start.
     */
    public dev.arcturus.gateway.api.OperatorValuesApplier.Applied apply(
            final dev.arcturus.scheduling.operator.OperatorValues values) {
        return operatorValues.apply(values);
    }

    /** Serves on a TCP port, with TLS when certificate files are configured. */
    public static Gateway start(final PlaneEndpoints endpoints, final GatewaySettings settings, final Clock clock) {
        final ServerCredentials credentials;
        try {
            credentials = settings.tls().isEmpty() ? InsecureServerCredentials.create()
                    : TlsServerCredentials.create(settings.tls().get().certificateChain().toFile(),
                            settings.tls().get().privateKey().toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the gateway's TLS files " + settings.tls().get(), e);
        }
        try {
            // Node agents ping every 30 s to detect silent links; permit that (gRPC's default would GOAWAY them).
            // Bound to the configured host only (127.0.0.1 for `up`), as the banner says; 0.0.0.0 where asked.
            final Gateway gateway = new Gateway(NettyServerBuilder.forAddress(
                            new InetSocketAddress(settings.host(), settings.port()), credentials)
                    .permitKeepAliveTime(20, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true),
                    endpoints, settings, clock);
            log.info("Gateway serving on port {} ({})", gateway.port(), settings.tls().isPresent() ? "TLS" : "plaintext");
            return gateway;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve on port " + settings.port() + " (in use?)", e);
        }
    }

    /** The same services on a given builder, e.g. {@code InProcessServerBuilder} in tests. */
    public static Gateway start(final ServerBuilder<?> builder, final PlaneEndpoints endpoints,
                                final GatewaySettings settings, final Clock clock) {
        try {
            return new Gateway(builder, endpoints, settings, clock);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the gateway", e);
        }
    }

    public int port() {
        return server.getListenSockets().stream().filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getPort()).findFirst().orElse(-1);
    }

    private <R extends AutoCloseable> R track(final R resource) {
        resources.push(resource);
        return resource;
    }

    /** The dashboard's port, when it serves one. */
    public Optional<Integer> dashboardPort() {
        return dashboard.map(DashboardServer::port);
    }

    /** The admin token file written at this start, if the plane had no admin before. */
    public Optional<java.nio.file.Path> newAdminTokenFile() {
        return newAdminTokenFile;
    }

    @Override
    public void close() {
        health.enterTerminalState();
        if (streamGuard != null) {
            streamGuard.endAll(); // watchers resume elsewhere at once instead of seeing their stream cut
        }
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                    server.shutdownNow(); // watches are long-lived streams; cut them
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            }
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (final Exception e) {
                log.warn("Stopping a gateway component failed", e);
            }
        }
    }
}
