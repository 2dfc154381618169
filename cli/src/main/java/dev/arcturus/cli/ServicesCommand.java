package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessRequest;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus services verify --name kernel --verify-userid U}: LEOScope's kernel-access check. */
@Command(name = "services", mixinStandardHelpOptions = true, description = "Node-side services.")
public final class ServicesCommand {
    @Mixin
    GatewayClient gateway;

    @Command(name = "verify", description = "Whether a user may use a node service (NODE or ADMIN callers).")
    int verify(@Option(names = "--name", defaultValue = "kernel", description = "Service: kernel.") final String name,
               @Option(names = "--verify-userid", required = true) final String userId) {
        if (!"kernel".equals(name)) {
            System.err.println("error: --name: only 'kernel' is a verifiable service, was '" + name + "'");
            return ExitCodes.USAGE;
        }
        final VerifyKernelAccessResponse answer = gateway.stub(UserServiceGrpc::newBlockingStub)
                .verifyKernelAccess(VerifyKernelAccessRequest.newBuilder().setUserId(userId).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(answer);
        } else {
            out.text((answer.getAllowed() ? "allowed: " : "denied: ") + answer.getReason());
        }
        return answer.getAllowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }
}
