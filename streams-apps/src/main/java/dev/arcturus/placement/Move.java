package dev.arcturus.placement;

/**
 * One planned TRANSFER of a job from one node to another.
 *
 * @param evacuation true when the job leaves a DOWN or deregistered node, false for balancing
 */
public record Move(String jobId, long jobVersion, String from, String to, boolean evacuation, String reason,
                   double imbalanceBefore, double imbalanceAfter) {
}
