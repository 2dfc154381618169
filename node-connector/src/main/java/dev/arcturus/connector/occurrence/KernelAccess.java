package dev.arcturus.connector.occurrence;

import dev.arcturus.connector.kernel.KernelService;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lends a privileged run the node's kernel service for its lifetime: the service must be running and the job's owner
 * must pass the gateway's kernel-access check (USER_PRIV, NODE_PRIV or ADMIN), asked at every run so a revoked
 * privilege takes effect at once.
 */
public final class KernelAccess {
    private final String nodeId;
    private final KernelService kernel;
    private final UserServiceGrpc.UserServiceBlockingStub users;

    /** {@code kernel} is null when the service could not start on this node. */
    public KernelAccess(final String nodeId, final KernelService kernel,
                        final UserServiceGrpc.UserServiceBlockingStub users) {
        this.nodeId = nodeId;
        this.kernel = kernel;
        this.users = users;
    }

    /** A run's use of the kernel service: the variables its container gets; closing it revokes the token. */
    public record Lease(Map<String, String> environment, Runnable revoke) implements AutoCloseable {
        @Override
        public void close() {
            revoke.run();
        }
    }

    /** Thrown when the run may not use the kernel service; the message is the run's failure reason. */
    public static final class RefusedException extends Exception {
        RefusedException(final String reason) {
            super(reason);
        }
    }

    public Lease lease(final Job job, final String runId, final LongSupplier containerPid) throws RefusedException {
        if (kernel == null) {
            throw new RefusedException("kernel_access: the kernel service is not running on node " + nodeId);
        }
        final var verdict = users.withDeadlineAfter(5, TimeUnit.SECONDS).verifyKernelAccess(
                VerifyKernelAccessRequest.newBuilder().setUserId(job.getOwnerId()).build());
        if (!verdict.getAllowed()) {
            throw new RefusedException("kernel_access: owner " + job.getOwnerId() + " may not use the kernel service ("
                    + verdict.getReason() + ")");
        }
        final String token = kernel.grant(runId, containerPid);
        return new Lease(Map.of("ARCTURUS_KERNEL_URL", kernel.url(), "ARCTURUS_KERNEL_TOKEN", token),
                () -> kernel.revoke(token));
    }
}
