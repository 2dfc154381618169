package dev.arcturus.gateway.api;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.auth.Principal;

/** Who may see which entity: ADMIN everything, users their own, nodes what runs on them. */
final class Visibility {

    private Visibility() {
    }

    static boolean canSee(final Principal principal, final JobState job) {
        return principal.isAdmin() || principal.id().equals(job.getSpec().getOwner()) || runsOn(principal, job);
    }

    static boolean runsOn(final Principal principal, final JobState job) {
        return principal.isNode() && (job.getAssignedNodeIds().contains(principal.id())
                || principal.id().equals(job.getSpec().getTargetNodeId())
                || principal.id().equals(job.getSpec().getServerNodeId()));
    }

    static boolean canSee(final Principal principal, final RunState run) {
        return principal.isAdmin() || principal.id().equals(run.getOwnerId())
                || (principal.isNode() && principal.id().equals(run.getNodeId()));
    }
}
