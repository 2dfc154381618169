package dev.arcturus.gateway.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each region's latency over the last hour, a point a minute: the mean best-path latency from the region to every
 * other region, as path selection last published it. Path selections are current values on a compacted topic; the
 * gateway keeps this hour of history in memory (a restarted gateway starts a fresh hour).
 */
final class LatencyHistory {
    static final int MINUTES = 60;
    private static final long MINUTE_MS = 60_000;

    /** source region → destination region → best latency (ms). */
    private final Map<String, Map<String, Double>> current = new TreeMap<>();
    private final Deque<Point> points = new ArrayDeque<>();
    private long minute = Long.MIN_VALUE;

    private record Point(long minute, Map<String, Double> meanByRegion) {
    }

    /** A region pair's best latency changed (null: no path any more). */
    synchronized void update(final String from, final String to, final Double latencyMs, final long nowMs) {
        roll(nowMs);
        if (latencyMs == null) {
            final Map<String, Double> row = current.get(from);
            if (row != null) {
                row.remove(to);
            }
        } else {
            current.computeIfAbsent(from, r -> new TreeMap<>()).put(to, latencyMs);
        }
    }

    /** {@code {"minutes":[epoch ms…],"regions":{"R0":[ms or null…],…}}}, oldest first, the running minute last. */
    synchronized String json(final long nowMs) {
        roll(nowMs);
        final List<Point> all = new ArrayList<>(points);
        all.add(new Point(minute, means()));
        final TreeSet<String> regions = new TreeSet<>();
        all.forEach(p -> regions.addAll(p.meanByRegion().keySet()));
        final Map<String, Object> series = new LinkedHashMap<>();
        for (final String region : regions) {
            series.put(region, all.stream().map(p -> p.meanByRegion().get(region)).toList());
        }
        return Json.object().field("minutes", all.stream().map(p -> p.minute() * MINUTE_MS).toList())
                .field("regions", series).end();
    }

    /** Closes every minute that ended since the last call, each with the means as they stood. */
    private void roll(final long nowMs) {
        final long now = Math.floorDiv(nowMs, MINUTE_MS);
        if (minute == Long.MIN_VALUE || now - minute > MINUTES) {
            points.clear();
            minute = now;
            return;
        }
        while (minute < now) {
            points.addLast(new Point(minute, means()));
            if (points.size() >= MINUTES) {
                points.removeFirst();
            }
            minute++;
        }
    }

    private Map<String, Double> means() {
        final Map<String, Double> means = new TreeMap<>();
        current.forEach((region, row) -> {
            if (!row.isEmpty()) {
                means.put(region, row.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            }
        });
        return means;
    }
}
