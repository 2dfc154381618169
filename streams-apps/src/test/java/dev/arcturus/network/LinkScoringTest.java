package dev.arcturus.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkScoringTest {
    @Test
    void shouldRankAgainstTheFleetSplitAtTheThresholdAsTheReferenceDoes() {
        final LinkScoring.Population means = LinkScoring.Population.of(new double[] {20, 30, 60, 80, 90}, 50);

        assertThat(means.rank(90)).isEqualTo(1.0);   // most overloaded above the threshold
        assertThat(means.rank(80)).isEqualTo(0.5);
        assertThat(means.rank(60)).isEqualTo(0.0);
        assertThat(means.rank(30)).isEqualTo(0.0);
        assertThat(means.rank(20)).isEqualTo(-1.0);  // least loaded below it
        assertThat(LinkScoring.Population.of(new double[] {70}, 50).rank(70)).as("a lone node").isZero();
    }

    @Test
    void shouldKeepVirtualQueuesNonNegative() {
        assertThat(LinkScoring.nextQueue(0, -1)).isZero();
        assertThat(LinkScoring.nextQueue(2, -0.5)).isEqualTo(1.5);
        assertThat(LinkScoring.nextQueue(1, 1)).isEqualTo(2);
    }

    @Test
    void shouldEstimateLatencyRobustlyWithSubMillisecondResolution() {
        assertThat(LinkScoring.robustLatencyMs(List.of(400L, 450L, 90_000L))).isEqualTo(0.45);
        assertThat(LinkScoring.robustLatencyMs(List.of(1500L, 1700L))).isEqualTo(1.6);
        assertThat(LinkScoring.robustLatencyMs(List.of())).isNaN();
    }

    @Test
    void shouldUsePopulationVarianceOverTheSamples() {
        assertThat(LinkScoring.populationVariance(List.of(10.0, 20.0, 30.0))).isCloseTo(66.667, within(0.001));
        assertThat(LinkScoring.mean(List.of(10.0, 20.0, 30.0))).isEqualTo(20.0);
    }
}
