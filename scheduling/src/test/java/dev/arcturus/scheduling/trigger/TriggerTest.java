package dev.arcturus.scheduling.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trigger language: what LEOScope accepted, what it got wrong, and what it could not express. */
class TriggerTest {
    private static final Map<String, Double> NODE = Map.of("cpu", 40.0, "cpu_1", 60.0, "cpu_avg", 50.0, "load", 0.5,
            "memory", 70.0, "latency_region_eu_west", 12.5, "plugin_sat_elevation", -3.0);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "cpu < 50                                   ; true",
        "cpu_avg >= 50 && load <= 0.5               ; true",
        "-plugin_sat_elevation > 2                  ; true",
        "abs(plugin_sat_elevation) == 3             ; true",
        "cpu + 10 * 2 == 60                         ; true",
        "(cpu + 10) * 2 == 100                      ; true",
        "cpu - 10 - 10 == 20                        ; true",
        "!(cpu > 30) || latency_region_eu_west < 10 ; false",
        "true && !false                             ; true",
        "memory / 7 == 10                           ; true",
        "(cpu_1 > cpu) != false                     ; true"})
    void shouldEvaluate(final String expression, final boolean expected) throws Exception {
        assertThat(Trigger.compile(expression).evaluate(NODE)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "cpu < 50 &&                 ; unexpected end of the expression at column 12",
        "cpu < fifty                 ; unknown variable 'fifty' at column 7",
        "weather_main == 1           ; unknown variable 'weather_main' at column 1",
        "cpu + 1                     ; must be a condition (true or false), but is a number",
        "cpu && true                 ; needs a condition, got a number",
        "(cpu > 1) + 2 > 0           ; '+' at column 11 needs a number, got a condition",
        "cpu == true                 ; '==' at column 5 compares a number with a condition",
        "cpu > 1 & load < 2          ; unexpected '&' at column 9",
        "cpu > 1.2.3                 ; bad number '1.2.3' at column 7",
        "abs(cpu > 1) > 0            ; 'abs()' at column 1 needs a number, got a condition"})
    void shouldRejectWithTheProblemAndColumn(final String expression, final String problem) {
        assertThatThrownBy(() -> Trigger.compile(expression)).isInstanceOf(InvalidTriggerException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void shouldFailAtFireTimeOnDivisionByZeroOrAMissingValueInsteadOfAtScheduleTime() throws Exception {
        final Trigger trigger = Trigger.compile("cpu / (load - load) > 1");
        assertThatThrownBy(() -> trigger.evaluate(NODE)).hasMessage("division by zero");
        assertThatThrownBy(() -> Trigger.compile("plugin_rain_mm < 2").evaluate(NODE))
                .hasMessage("no value for plugin_rain_mm on this node");
    }

    @Test
    void shouldReportTheValuesItRead() throws Exception {
        final Trigger trigger = Trigger.compile("cpu < 50 && cpu_avg > 10 && cpu < 90");
        assertThat(trigger.variables()).containsExactly("cpu", "cpu_avg");
        assertThat(trigger.seen(NODE)).containsExactly(Map.entry("cpu", 40.0), Map.entry("cpu_avg", 50.0));
    }

    @Test
    void shouldKnowHistoryAndFamilyNames() {
        assertThat(TriggerVariables.isKnown("load_5")).isTrue();
        assertThat(TriggerVariables.isKnown("pop_ping_latency_ms_avg")).isTrue();
        assertThat(TriggerVariables.isKnown("latency_node_lab_1_3")).isTrue();
        assertThat(TriggerVariables.isKnown("cpu_6")).isFalse();
        assertThat(TriggerVariables.isKnown("plugin_")).isFalse();
    }
}
