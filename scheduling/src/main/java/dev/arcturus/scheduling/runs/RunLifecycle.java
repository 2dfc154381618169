package dev.arcturus.scheduling.runs;

import dev.arcturus.avro.RunStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which run statuses are final: the run-state fold refuses to reopen them, and the gateway's run history may let
 * them age out of its hot window (an open run never does).
 */
public final class RunLifecycle {
    public static final Set<RunStatus> FINAL = EnumSet.of(RunStatus.SKIPPED, RunStatus.COMPLETED, RunStatus.FAILED,
            RunStatus.TIMED_OUT, RunStatus.TERMINATED, RunStatus.ABORTED, RunStatus.RESCHEDULED,
            RunStatus.RESCHEDULE_FAILED, RunStatus.MISSED);

    private RunLifecycle() {
    }

    public static boolean isFinal(final RunStatus status) {
        return FINAL.contains(status);
    }
}
