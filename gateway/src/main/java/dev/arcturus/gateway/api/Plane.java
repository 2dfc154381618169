package dev.arcturus.gateway.api;

import dev.arcturus.gateway.state.DecisionWaiter;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.gateway.state.PlaneWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * What every API handler works with: the view it reads, the writer it writes through, the admission decisions it
 * waits for, and the clock.
 *
 * @param decisionDeadline how long a job write waits for its admission decision
 */
public record Plane(PlaneView view, PlaneWriter writer, DecisionWaiter decisions, Clock clock,
                    Duration decisionDeadline) {
    static final String PRODUCER = "gateway";
}
