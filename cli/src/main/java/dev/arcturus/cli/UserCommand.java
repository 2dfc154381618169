package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.DeleteUserRequest;
import dev.arcturus.gateway.api.v1.GetUserRequest;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.ModifyUserRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RotateTokenRequest;
import dev.arcturus.gateway.api.v1.User;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus user register|get|modify|delete|rotate-token|revoke-token}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Users and their tokens.")
public final class UserCommand {
    @Mixin
    GatewayClient gateway;

    private UserServiceGrpc.UserServiceBlockingStub users() {
        return gateway.stub(UserServiceGrpc::newBlockingStub);
    }

    @Command(name = "register", description = "Register a user (ADMIN); prints its token once.")
    int register(@Option(names = "--id", required = true) final String id,
                 @Option(names = "--name", required = true) final String name,
                 @Option(names = "--role", defaultValue = "USER", description = "ADMIN, USER or USER_PRIV") final Role role,
                 @Option(names = "--team", defaultValue = "") final String team,
                 @Option(names = "--token-ttl-seconds", defaultValue = "0") final long ttl) {
        return issued(users().registerUser(RegisterUserRequest.newBuilder().setId(id).setName(name).setRole(role)
                .setTeam(team).setTokenTtlSeconds(ttl).build()));
    }

    @Command(name = "get", description = "Show a user.")
    int get(@Option(names = "--id", required = true) final String id) {
        return print(users().getUser(GetUserRequest.newBuilder().setId(id).build()));
    }

    @Command(name = "modify", description = "Change a user's name, team or role (ADMIN); its token is kept.")
    int modify(@Option(names = "--id", required = true) final String id,
               @Option(names = "--name", defaultValue = "") final String name,
               @Option(names = "--team", defaultValue = "") final String team,
               @Option(names = "--role", defaultValue = "ROLE_UNSPECIFIED") final Role role) {
        return print(users().modifyUser(ModifyUserRequest.newBuilder().setId(id).setName(name).setTeam(team)
                .setRole(role).build()));
    }

    @Command(name = "delete", description = "Delete a user (ADMIN).")
    int delete(@Option(names = "--id", required = true) final String id) {
        users().deleteUser(DeleteUserRequest.newBuilder().setId(id).build());
        new Output(System.out, gateway.json()).text("deleted user " + id);
        return ExitCodes.OK;
    }

    @Command(name = "rotate-token", description = "Issue a new token (the old one stops working); prints it once.")
    int rotate(@Option(names = "--id", required = true) final String id,
               @Option(names = "--token-ttl-seconds", defaultValue = "0") final long ttl) {
        return issued(users().rotateToken(RotateTokenRequest.newBuilder().setId(id).setTokenTtlSeconds(ttl).build()));
    }

    @Command(name = "revoke-token", description = "Revoke a user's token.")
    int revoke(@Option(names = "--id", required = true) final String id) {
        final boolean revoked = users().revokeToken(RevokeTokenRequest.newBuilder().setId(id).build()).getRevoked();
        new Output(System.out, gateway.json()).text(revoked ? "revoked the token of " + id : id + " had no token");
        return ExitCodes.OK;
    }

    private int issued(final IssuedToken issued) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(issued);
        } else {
            print(issued.getUser());
            out.text("token: " + issued.getToken());
            System.err.println("Store this token now: it is shown only once.");
        }
        return ExitCodes.OK;
    }

    private int print(final User user) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(user);
        } else {
            out.table(List.of("ID", "NAME", "ROLE", "TEAM", "TOKEN ISSUED", "TOKEN EXPIRES"), List.of(List.of(
                    user.getId(), user.getName(), user.getRole().name(), Output.orDash(user.getTeam()),
                    user.getHasToken() ? Output.time(user.getTokenIssuedAt()) : "revoked",
                    Output.time(user.getTokenExpiresAt()))));
        }
        return ExitCodes.OK;
    }
}
