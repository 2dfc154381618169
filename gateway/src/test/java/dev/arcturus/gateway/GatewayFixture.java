package dev.arcturus.gateway;

import dev.arcturus.admission.AdmissionApp;
import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.placement.PlacementApp;
import dev.arcturus.placement.PlacementPolicy;
import dev.arcturus.runs.RunStateApp;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.TestServices;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * One gateway per test JVM, in-process, on the shared broker with the admission and run-state apps running: the real
 * pipeline behind the API. Tests isolate themselves by unique user, node and job ids.
 */
public final class GatewayFixture {
    private static GatewayFixture instance;

    private final ManagedChannel channel;
    private final String adminToken;

    private GatewayFixture(final ManagedChannel channel, final String adminToken) {
        this.channel = channel;
        this.adminToken = adminToken;
    }

    public static synchronized GatewayFixture instance() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static GatewayFixture start() {
        final SharedPlane plane = SharedPlane.instance();
        plane.ensureTopics(TopicCatalog.all());
        final PlaneEndpoints endpoints = new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
        try {
            final Path dir = Files.createTempDirectory("gateway-test");
            final AdmissionApp admission = AdmissionApp.start(AdmissionConfig.defaults(endpoints, dir.resolve("streams"))
                    .withApplicationId(SharedPlane.uniqueName("admission")), Duration.ofSeconds(90));
            final RunStateApp runs = RunStateApp.start(SharedPlane.uniqueName("run-state"), endpoints,
                    dir.resolve("streams"), Duration.ofSeconds(90));
            final PlacementApp placement = PlacementApp.start(SharedPlane.uniqueName("placement"), endpoints,
                    dir.resolve("streams"), PlacementPolicy.defaults(), "gateway-test", Duration.ofSeconds(90));
            final String name = SharedPlane.uniqueName("gateway");
            final Path tokenFile = dir.resolve("admin-token");
            final Gateway gateway = Gateway.start(InProcessServerBuilder.forName(name).directExecutor(), endpoints,
                    new GatewaySettings("127.0.0.1", 0, Optional.empty(), Duration.ofSeconds(20), tokenFile)
                            .withArtifactStorage(Optional.of(TestServices.require(
                                    "ARCTURUS_TEST_AZURITE_CONNECTION_STRING"))),
                    Clock.systemUTC());
            final String token = Files.readString(gateway.newAdminTokenFile().orElseThrow()).strip();
            plane.closeBeforeBroker(admission);
            plane.closeBeforeBroker(runs);
            plane.closeBeforeBroker(placement);
            plane.closeBeforeBroker(gateway);
            return new GatewayFixture(InProcessChannelBuilder.forName(name).directExecutor().build(), token);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String adminToken() {
        return adminToken;
    }

    public static String unique(final String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static CallCredentials bearer(final String token) {
        return GatewayChannels.bearer(token);
    }

    /** A stream observer that collects what a server stream sends (errors end the stream silently). */
    public static <T> io.grpc.stub.StreamObserver<T> collect(final java.util.List<T> into) {
        return collect(into, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /** As {@link #collect(java.util.List)}, recording how the stream ended (its error, or "completed") in {@code end}. */
    public static <T> io.grpc.stub.StreamObserver<T> collect(final java.util.List<T> into,
                                                             final java.util.concurrent.atomic.AtomicReference<Throwable> end) {
        return new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(final T value) {
                into.add(value);
            }

            @Override
            public void onError(final Throwable t) {
                end.set(t);
            }

            @Override
            public void onCompleted() {
                end.set(new IllegalStateException("completed"));
            }
        };
    }

    public UserServiceGrpc.UserServiceBlockingStub users(final String token) {
        return UserServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public JobServiceGrpc.JobServiceBlockingStub jobs(final String token) {
        return JobServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public JobServiceGrpc.JobServiceStub jobsAsync(final String token) {
        return JobServiceGrpc.newStub(channel).withCallCredentials(bearer(token));
    }

    public RunServiceGrpc.RunServiceBlockingStub runs(final String token) {
        return RunServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public NodeServiceGrpc.NodeServiceBlockingStub nodes(final String token) {
        return NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public TaskServiceGrpc.TaskServiceBlockingStub tasks(final String token) {
        return TaskServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public TaskServiceGrpc.TaskServiceStub tasksAsync(final String token) {
        return TaskServiceGrpc.newStub(channel).withCallCredentials(bearer(token));
    }

    public ConfigServiceGrpc.ConfigServiceBlockingStub config(final String token) {
        return ConfigServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public PlaneServiceGrpc.PlaneServiceBlockingStub plane(final String token) {
        return PlaneServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** A new user with the given role; returns its token. */
    public String newUser(final String id, final Role role) {
        final IssuedToken issued = users(adminToken).registerUser(RegisterUserRequest.newBuilder().setId(id)
                .setName("User " + id).setRole(role).setTeam("test").build());
        return issued.getToken();
    }

    /** A new node in region eu-west; returns its token. */
    public String newNode(final String id, final Role role) {
        return nodes(adminToken).registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(id)
                .setIp("10.0.0.1").setRegion("eu-west").setName(id + ".lab").setRole(role)).build()).getToken();
    }
}
