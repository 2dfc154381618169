package dev.arcturus.admission.calendar;

/** An accepted job a candidate collides with, and the first interval where they overlap. */
public record Conflict(String jobId, long overlapStart, long overlapEnd) {
}
