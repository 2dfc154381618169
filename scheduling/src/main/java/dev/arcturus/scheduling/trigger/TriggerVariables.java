package dev.arcturus.scheduling.trigger;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a trigger may use. Every base variable {@code F} also exists as {@code F_1} … {@code F_5} (its previous
 * five samples, most recent first) and {@code F_avg} (the mean of the current value and those five).
 *
 * <ul>
 *   <li>node telemetry: {@code cpu} (% busy), {@code memory} (% used), {@code load} (1-minute load average);</li>
 *   <li>LEOScope's dish, satellite and weather fields (numeric ones), for existing experiments;</li>
 *   <li>{@code latency_node_<id>}, {@code latency_region_<id>}: latest probe latency in ms to a node or region;</li>
 *   <li>{@code plugin_<name>}: any value a node-local plugin publishes (e.g. {@code plugin_sat_elevation}).</li>
 * </ul>
 */
public final class TriggerVariables {
    static final Set<String> BASE = Set.of("cpu", "memory", "load",
            "uplink_throughput_bps", "downlink_throughput_bps", "pop_ping_latency_ms", "direction_azimuth",
            "direction_elevation", "fraction_obstructed", "currently_obstructed", "sat_dist_min", "sat_dist_max",
            "sat_dist_mean", "weather_temp", "weather_pressure", "weather_humidity", "weather_temp_min",
            "weather_temp_max", "weather_clouds", "weather_rain1h", "weather_rain3h", "weather_snow1h",
            "weather_snow3h", "weather_visibility", "weather_speed", "weather_deg", "weather_gust");
    private static final Pattern FAMILY = Pattern.compile("(latency_node_|latency_region_|plugin_)[A-Za-z0-9_]+");
    private static final Pattern SUFFIX = Pattern.compile("_([1-5]|avg)$");

    private TriggerVariables() {
    }

    /** Whether {@code name} names a variable (with or without a history suffix). */
    public static boolean isKnown(final String name) {
        final String base = base(name);
        return BASE.contains(base) || FAMILY.matcher(base).matches();
    }

    /** The variable without its history suffix. */
    public static String base(final String name) {
        final var matcher = SUFFIX.matcher(name);
        if (matcher.find() && !BASE.contains(name)) {
            return name.substring(0, matcher.start());
        }
        return name;
    }
}
