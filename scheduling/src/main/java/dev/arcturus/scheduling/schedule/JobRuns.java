package dev.arcturus.scheduling.schedule;

/**
 * The runs of one job version: run {@code i} occupies {@code [starts[i], starts[i] + lengthMillis)}. Starts ascend
 * and runs never overlap each other (validation guarantees length <= the shortest gap).
 */
public record JobRuns(String jobId, long[] starts, long lengthMillis, boolean exclusive) {
    public int size() {
        return starts.length;
    }

    public long end(final int i) {
        return starts[i] + lengthMillis;
    }

    /** Starts of the runs that overlap {@code [from, to)} (epoch millis): every calendar view asks this. */
    public long[] startsOverlapping(final long from, final long to) {
        return java.util.Arrays.stream(starts).filter(start -> start + lengthMillis > from && start < to).toArray();
    }
}
