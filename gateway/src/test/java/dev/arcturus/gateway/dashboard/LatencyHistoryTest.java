package dev.arcturus.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistoryTest {
    private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 60_000; // a minute boundary

    @Test
    void shouldKeepEachRegionsMeanAMinuteForAnHour() {
        final LatencyHistory history = new LatencyHistory();
        history.update("EU", "US", 80.0, T0);
        history.update("EU", "AS", 120.0, T0 + 1_000);
        history.update("US", "EU", 81.0, T0 + 2_000);
        history.update("EU", "US", 60.0, T0 + 61_000); // next minute: EU's mean is (60 + 120) / 2
        history.update("US", "EU", null, T0 + 125_000); // the US→EU path is gone in the third minute

        assertThat(history.json(T0 + 130_000)).isEqualTo("{\"minutes\":[" + T0 + "," + (T0 + 60_000) + ","
                + (T0 + 120_000) + "],\"regions\":{\"EU\":[100.0,90.0,90.0],\"US\":[81.0,81.0,null]}}");
    }

    @Test
    void shouldForgetWhatIsOlderThanAnHour() {
        final LatencyHistory history = new LatencyHistory();
        history.update("EU", "US", 80.0, T0);
        history.update("EU", "US", 40.0, T0 + 30 * 60_000);

        final String later = history.json(T0 + 75 * 60_000);
        final String minutes = later.substring(later.indexOf('[') + 1, later.indexOf(']'));

        assertThat(minutes.split(",")).hasSize(LatencyHistory.MINUTES);
        assertThat(minutes).doesNotContain(String.valueOf(T0 + 14 * 60_000)).startsWith(String.valueOf(T0 + 16 * 60_000));
        assertThat(later).contains("\"EU\":[80.0").endsWith("40.0]}}");
    }
}
