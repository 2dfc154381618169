package dev.arcturus.placement;

import java.time.Duration;

/**
 * How placement balances the fleet. Defaults follow the seed scheduler (30 s tick, 0.2 threshold, 5 actions per tick)
 * plus what it lacked: a lower stop threshold (hysteresis), a per-job cooldown and a separate budget for moving jobs
 * off dead nodes, which must not wait behind balancing.
 *
 * @param tick                  how often the leader measures and plans
 * @param startThreshold        rebalancing starts when imbalance exceeds this
 * @param stopThreshold         ... and continues until imbalance is at or below this (must not exceed start)
 * @param maxMovesPerTick       balancing moves per tick
 * @param maxEvacuationsPerTick moves off DOWN or deregistered nodes per tick
 * @param jobCooldown           a moved job stays put at least this long
 * @param maxPlaceAttempts      admission requests per placement before giving up (a conflict tries the next nodes)
 */
public record PlacementPolicy(Duration tick, double startThreshold, double stopThreshold, int maxMovesPerTick,
                              int maxEvacuationsPerTick, Duration jobCooldown, int maxPlaceAttempts) {

    public static PlacementPolicy defaults() {
        return new PlacementPolicy(Duration.ofSeconds(30), 0.2, 0.1, 5, 100, Duration.ofMinutes(5), 5);
    }

    public PlacementPolicy {
        if (tick == null || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick: must be positive, was " + tick);
        }
        if (!(startThreshold > 0)) {
            throw new IllegalArgumentException("startThreshold: must be positive, was " + startThreshold);
        }
        if (!(stopThreshold >= 0) || stopThreshold > startThreshold) {
            throw new IllegalArgumentException("stopThreshold: must be between 0 and startThreshold ("
                    + startThreshold + "), was " + stopThreshold);
        }
        if (maxMovesPerTick < 0 || maxEvacuationsPerTick < 0) {
            throw new IllegalArgumentException("maxMovesPerTick and maxEvacuationsPerTick: must not be negative");
        }
        if (jobCooldown == null || jobCooldown.isNegative()) {
            throw new IllegalArgumentException("jobCooldown: must not be negative, was " + jobCooldown);
        }
        if (maxPlaceAttempts < 1) {
            throw new IllegalArgumentException("maxPlaceAttempts: at least 1, was " + maxPlaceAttempts);
        }
    }

    public PlacementPolicy withTick(final Duration newTick) {
        return new PlacementPolicy(newTick, startThreshold, stopThreshold, maxMovesPerTick, maxEvacuationsPerTick,
                jobCooldown, maxPlaceAttempts);
    }

    public PlacementPolicy withCooldown(final Duration cooldown) {
        return new PlacementPolicy(tick, startThreshold, stopThreshold, maxMovesPerTick, maxEvacuationsPerTick,
                cooldown, maxPlaceAttempts);
    }

    public PlacementPolicy withMaxMovesPerTick(final int moves) {
        return new PlacementPolicy(tick, startThreshold, stopThreshold, moves, maxEvacuationsPerTick, jobCooldown,
                maxPlaceAttempts);
    }
}
