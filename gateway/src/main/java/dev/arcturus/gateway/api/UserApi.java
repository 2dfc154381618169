package dev.arcturus.gateway.api;

import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.DeleteUserRequest;
import dev.arcturus.gateway.api.v1.DeleteUserResponse;
import dev.arcturus.gateway.api.v1.GetUserRequest;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.ModifyUserRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenResponse;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RotateTokenRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessRequest;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessResponse;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.auth.Tokens;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Users and tokens (identity.proto). */
public final class UserApi extends UserServiceGrpc.UserServiceImplBase {
    private static final Set<Role> USER_ROLES = Set.of(Role.ADMIN, Role.USER, Role.USER_PRIV);
    private static final Duration MAX_TOKEN_TTL = Duration.ofDays(3_650);

    private final Plane plane;

    public UserApi(final Plane plane) {
        this.plane = plane;
    }

    @Override
    public void registerUser(final RegisterUserRequest request, final StreamObserver<IssuedToken> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            final String id = Requests.requireId("id", request.getId());
            final String name = Requests.requireText("name", request.getName());
            if (!USER_ROLES.contains(request.getRole())) {
                throw Requests.invalid("role", "must be ADMIN, USER or USER_PRIV (nodes register through "
                        + "NodeService.RegisterNode), was " + request.getRole());
            }
            if (plane.view().get(TopicCatalog.USER, id).isPresent()) {
                throw Requests.exists("user", id);
            }
            final User user = User.newBuilder().setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                    .setUserId(id).setName(name).setTeam(Requests.optionalText("team", request.getTeam()))
                    .setRole(Protos.role(request.getRole())).setKernelAccess(request.getRole() != Role.USER).build();
            return issue(user, request.getTokenTtlSeconds(), "token_ttl_seconds");
        });
    }

    /** Gives the user a fresh token (replacing any other), stores its hash, and returns it in clear this once. */
    IssuedToken issue(final User user, final long ttlSeconds, final String ttlField) {
        if (ttlSeconds < 0 || ttlSeconds > MAX_TOKEN_TTL.toSeconds()) {
            throw Requests.invalid(ttlField, "must be 0 (no expiry) to " + MAX_TOKEN_TTL.toSeconds() + ", was "
                    + ttlSeconds);
        }
        final String token = Tokens.issue();
        final Instant now = plane.clock().instant();
        user.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
        user.setTokenHash(Tokens.hash(token));
        user.setTokenIssuedAt(now);
        user.setTokenExpiresAt(ttlSeconds == 0 ? null : now.plusSeconds(ttlSeconds));
        plane.writer().write(TopicCatalog.USER, user.getUserId(), user);
        return IssuedToken.newBuilder().setUser(Protos.user(user)).setToken(token).build();
    }

    @Override
    public void getUser(final GetUserRequest request, final StreamObserver<dev.arcturus.gateway.api.v1.User> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("id", request.getId());
            Caller.requireSelfOrAdmin(id);
            return Protos.user(existing(id));
        });
    }

    @Override
    public void modifyUser(final ModifyUserRequest request,
                           final StreamObserver<dev.arcturus.gateway.api.v1.User> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            final User user = existing(Requests.requireId("id", request.getId()));
            if (!request.getName().isEmpty()) {
                user.setName(Requests.requireText("name", request.getName()));
            }
            if (!request.getTeam().isEmpty()) {
                user.setTeam(Requests.optionalText("team", request.getTeam()));
            }
            if (request.getRole() != Role.ROLE_UNSPECIFIED) {
                final boolean isNode = user.getRole() == UserRole.NODE || user.getRole() == UserRole.NODE_PRIV;
                final boolean toNode = request.getRole() == Role.NODE || request.getRole() == Role.NODE_PRIV;
                if (isNode != toNode) {
                    throw Requests.invalid("role", "a user cannot become a node or a node a user");
                }
                user.setRole(Protos.role(request.getRole()));
            }
            // Unlike LEOScope's modify_user, the token is kept: modifying a user never locks it out.
            user.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
            plane.writer().write(TopicCatalog.USER, user.getUserId(), user);
            return Protos.user(user);
        });
    }

    @Override
    public void deleteUser(final DeleteUserRequest request, final StreamObserver<DeleteUserResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireAdmin();
            final String id = Requests.requireId("id", request.getId());
            existing(id);
            if (id.equals(caller.id())) {
                throw Requests.invalid("id", "an admin cannot delete itself (that could leave the plane without one)");
            }
            plane.writer().write(TopicCatalog.USER, id, null);
            return DeleteUserResponse.newBuilder().setDeleted(true).build();
        });
    }

    @Override
    public void rotateToken(final RotateTokenRequest request, final StreamObserver<IssuedToken> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("id", request.getId());
            Caller.requireSelfOrAdmin(id);
            return issue(existing(id), request.getTokenTtlSeconds(), "token_ttl_seconds");
        });
    }

    @Override
    public void revokeToken(final RevokeTokenRequest request, final StreamObserver<RevokeTokenResponse> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("id", request.getId());
            Caller.requireSelfOrAdmin(id);
            final User user = existing(id);
            final boolean hadToken = user.getTokenHash() != null;
            user.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
            user.setTokenHash(null);
            user.setTokenExpiresAt(null);
            plane.writer().write(TopicCatalog.USER, id, user);
            return RevokeTokenResponse.newBuilder().setRevoked(hadToken).build();
        });
    }

    @Override
    public void verifyKernelAccess(final VerifyKernelAccessRequest request,
                                   final StreamObserver<VerifyKernelAccessResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            if (!caller.isAdmin() && !caller.isNode()) {
                throw Caller.denied("kernel access is verified by nodes (their kernel service) and ADMIN");
            }
            final User user = existing(Requests.requireId("user_id", request.getUserId()));
            final boolean allowed = new Principal(user.getUserId(), user.getRole()).isPrivileged();
            return VerifyKernelAccessResponse.newBuilder().setAllowed(allowed)
                    .setReason(allowed ? "role " + user.getRole() + " may use the kernel service"
                            : "role " + user.getRole() + " may not use the kernel service (needs USER_PRIV, NODE_PRIV "
                            + "or ADMIN)").build();
        });
    }

    private User existing(final String id) {
        return plane.view().get(TopicCatalog.USER, id).map(User::newBuilder).map(User.Builder::build)
                .orElseThrow(() -> Requests.notFound("user", id));
    }
}
