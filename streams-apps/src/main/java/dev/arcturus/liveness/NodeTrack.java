package dev.arcturus.liveness;

import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.LivenessTransition;
import dev.arcturus.avro.NodeLiveness;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** What the liveness app knows about one node, kept in memory and flushed to the store once per tick. */
final class NodeTrack {
    static final int KEPT_TRANSITIONS = 20;

    final String nodeId;
    long lastActive;
    Long lastTelemetry;
    LivenessState state = LivenessState.UNKNOWN;
    long since;
    final Deque<LivenessTransition> transitions = new ArrayDeque<>();
    boolean dirty;

    NodeTrack(final String nodeId) {
        this.nodeId = nodeId;
    }

    static NodeTrack from(final NodeLiveness stored) {
        final NodeTrack track = new NodeTrack(stored.getNodeId());
        track.lastActive = stored.getLastActive().toEpochMilli();
        track.lastTelemetry = stored.getLastTelemetry() == null ? null : stored.getLastTelemetry().toEpochMilli();
        track.state = stored.getState();
        track.since = stored.getSince().toEpochMilli();
        track.transitions.addAll(stored.getRecentTransitions());
        return track;
    }

    /** Transitions within the flap window ending at {@code now}; a node's first appearance is not a flap. */
    int flapCount(final long now, final long windowMillis) {
        int count = 0;
        for (final LivenessTransition t : transitions) {
            if (t.getFrom() != LivenessState.UNKNOWN && now - t.getAt().toEpochMilli() <= windowMillis) {
                count++;
            }
        }
        return count;
    }

    void moveTo(final LivenessState next, final long now) {
        transitions.addLast(new LivenessTransition(state, next, Instant.ofEpochMilli(now)));
        while (transitions.size() > KEPT_TRANSITIONS) {
            transitions.removeFirst();
        }
        state = next;
        since = now;
        dirty = true;
    }
}
