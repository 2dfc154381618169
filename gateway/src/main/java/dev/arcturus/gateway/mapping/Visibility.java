package dev.arcturus.gateway.mapping;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.auth.Principal;
import java.util.Optional;
import java.util.function.Function;

/** Who may see which entity: ADMIN everything, users their own, nodes what runs on them. */
public final class Visibility {

    private Visibility() {
    }

    public static boolean canSee(final Principal principal, final JobState job) {
        return principal.isAdmin() || principal.id().equals(job.getSpec().getOwner()) || runsOn(principal, job);
    }

    public static boolean runsOn(final Principal principal, final JobState job) {
        return principal.isNode() && onNode(job, principal.id());
    }

    /** Whether the job runs on the node, as its client or its server. */
    public static boolean onNode(final JobState job, final String nodeId) {
        return job.getAssignedNodeIds().contains(nodeId) || nodeId.equals(job.getSpec().getTargetNodeId())
                || nodeId.equals(job.getSpec().getServerNodeId());
    }

    /** Whether the node runs the job's client side (its target, or one of the nodes placement chose). */
    public static boolean isClient(final JobState job, final String nodeId) {
        return job.getAssignedNodeIds().contains(nodeId) || nodeId.equals(job.getSpec().getTargetNodeId());
    }

    public static boolean canSee(final Principal principal, final RunState run) {
        return principal.isAdmin() || principal.id().equals(run.getOwnerId())
                || (principal.isNode() && principal.id().equals(run.getNodeId()));
    }

    /**
     * As {@link #canSee(Principal, RunState)}, and a run with no owner yet shown to its job's owner. The run-state
     * app takes a run's owner from the job state it has read; a node reporting the instant its job was accepted can
     * beat that read, and the run is folded ownerless (and stays so if nothing follows). This gateway took that
     * report only for a job in its own view, so the owner its view gives the job is the one the run will get.
     */
    public static boolean canSee(final Principal principal, final RunState run,
                                 final Function<String, Optional<JobState>> jobs) {
        return canSee(principal, run) || (run.getOwnerId().isEmpty() && principal.isUser()
                && jobs.apply(run.getJobId()).map(job -> principal.id().equals(job.getSpec().getOwner())).orElse(false));
    }
}
