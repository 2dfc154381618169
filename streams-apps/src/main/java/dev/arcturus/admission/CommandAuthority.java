package dev.arcturus.admission;

import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.scheduling.schedule.JobSpecs;
import java.util.Set;
import java.util.function.Function;

/**
 * Defence in depth behind the gateway's authorization: a command is honoured only when its {@code requestedBy} may
 * act on the job — its owner; an ADMIN (from the identity topic); the plane's own apps; or, to reschedule a one-shot
 * out of the way of scavenger mode, a node the job runs on. The gateway never sends anything else, so a command that
 * fails here was written around it, and is dead-lettered with the reason rather than decided.
 */
final class CommandAuthority {
    /** The apps that issue commands themselves: placement's moves, admission's fan-out of a node-wide delete. */
    static final Set<String> PLANE_APPS = Set.of("admission", "placement");

    private final Function<String, User> users;

    CommandAuthority(final Function<String, User> users) {
        this.users = users;
    }

    /** Why the requester may not issue {@code command} against {@code current} (null when no job yet), or null. */
    String refusal(final JobCommand command, final JobState current) {
        final String requester = command.getRequestedBy();
        if (requester == null || requester.isBlank()) {
            return "requestedBy: required";
        }
        if (PLANE_APPS.contains(requester) || isAdmin(requester)) {
            return null;
        }
        if (command.getType() == JobCommandType.DELETE_ALL_ON_NODE) {
            return "requestedBy: '" + requester + "' is not an ADMIN; only an ADMIN deletes every job on a node";
        }
        if (command.getSpec() != null && !requester.equals(command.getSpec().getOwner())) {
            return "requestedBy: '" + requester + "' may not submit a job owned by '" + command.getSpec().getOwner()
                    + "'";
        }
        if (current == null || requester.equals(current.getSpec().getOwner())) {
            return null;
        }
        if (command.getType() == JobCommandType.RESCHEDULE_NEAREST
                && JobSpecs.nodesOf(current.getSpec()).contains(requester)) {
            return null; // the node a job runs on moves it out of scavenger mode's way
        }
        return "requestedBy: '" + requester + "' is neither the owner '" + current.getSpec().getOwner() + "' of job "
                + command.getJobId() + " nor an ADMIN";
    }

    private boolean isAdmin(final String userId) {
        final User user = users.apply(userId);
        return user != null && user.getRole() == UserRole.ADMIN;
    }
}
