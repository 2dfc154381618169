package dev.arcturus.gateway.mapping;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.auth.Principal;

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
}
