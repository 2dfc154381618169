package dev.arcturus.launcher.plane;

import dev.arcturus.connector.ConnectorSettings;
import dev.arcturus.connector.NodeConnector;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetUserRequest;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RotateTokenRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node connector that {@code ./arcturus up} runs for this machine when a Docker engine is reachable: node
 * {@code local} (region {@code local}), registered on first start with the admin token, its own token kept in a file
 * readable only by its owner, so a job scheduled from the CLI on node {@code local} runs here.
 */
public final class LocalConnector implements AutoCloseable {
    public static final String NODE_ID = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalConnector.class);

    private final ManagedChannel channel;
    private final NodeConnector connector;

    private LocalConnector(final ManagedChannel channel, final NodeConnector connector) {
        this.channel = channel;
        this.connector = connector;
    }

    /** Starts it, or returns empty when no Docker engine socket is present. */
    public static Optional<LocalConnector> startIfDocker(final String dockerHost, final boolean pullImages, final int gatewayPort,
                                                  final Path caCertificate, final Path stateRoot) {
        if (dockerHost.startsWith("unix://") && !Files.exists(Path.of(dockerHost.substring("unix://".length())))) {
            return Optional.empty();
        }
        final ManagedChannel channel = GatewayChannels.open("localhost:" + gatewayPort, Optional.of(caCertificate), false);
        try {
            final String token = nodeToken(channel, stateRoot);
            return Optional.of(new LocalConnector(channel, NodeConnector.start(new ConnectorSettings(NODE_ID, token,
                    dockerHost, pullImages, stateRoot.resolve("runs"), ConnectorSettings.DEFAULT_HEARTBEAT), channel)));
        } catch (final RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    /**
     * The local node's token: from its file while the plane accepts it, else registered (first start) or rotated (file
     * lost, or left from a plane whose data was deleted) as admin.
     */
    private static String nodeToken(final ManagedChannel channel, final Path stateRoot) {
        final Path file = stateRoot.resolve("local-node-token");
        try {
            if (Files.isRegularFile(file)) {
                final String stored = Files.readString(file).strip();
                if (accepted(channel, stored)) {
                    return stored;
                }
                log.info("Node {}: the token in {} is unknown to this plane (its data is new); issuing another",
                        NODE_ID, file);
                Files.delete(file);
            }
            final String admin = Files.readString(stateRoot.resolve("admin-token")).strip();
            final boolean registered = !NodeServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(GatewayChannels.bearer(admin))
                    .getNodes(GetNodesRequest.newBuilder().setId(NODE_ID).build()).getNodesList().isEmpty();
            final String token = registered
                    ? UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                            .rotateToken(RotateTokenRequest.newBuilder().setId(NODE_ID).build()).getToken()
                    : NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                            .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(NODE_ID)
                                    .setIp("127.0.0.1").setRegion("local").setName("this machine")
                                    .setDescription("the connector started by ./arcturus up")).build()).getToken();
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token);
            return token;
        } catch (final IOException e) {
            throw new UncheckedIOException("the local connector needs the admin token (" + stateRoot.resolve("admin-token")
                    + ") on its first start: " + e.getMessage(), e);
        }
    }

    /** Whether the gateway authenticates the token; anything but UNAUTHENTICATED leaves that to the connector. */
    private static boolean accepted(final ManagedChannel channel, final String token) {
        try {
            UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(token))
                    .withDeadlineAfter(30, TimeUnit.SECONDS).getUser(GetUserRequest.newBuilder().setId(NODE_ID).build());
            return true;
        } catch (final StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNAUTHENTICATED;
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } finally {
            channel.shutdownNow();
        }
    }
}
