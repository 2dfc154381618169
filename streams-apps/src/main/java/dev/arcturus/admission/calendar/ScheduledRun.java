package dev.arcturus.admission.calendar;

/** One run in a node's calendar; the node takes part as the job's target or as its server. */
public record ScheduledRun(String jobId, long start, long end, boolean asServer, boolean exclusive) {
}
