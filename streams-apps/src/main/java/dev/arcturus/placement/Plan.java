package dev.arcturus.placement;

import java.util.List;

/**
 * A tick's outcome: the moves, the imbalance before and (predicted) after, whether balancing is under way for the
 * next tick (hysteresis), and the stranded jobs no healthy node could take.
 */
public record Plan(List<Move> moves, double imbalanceBefore, double imbalanceAfter, boolean rebalancing,
                   List<String> stranded) {
}
