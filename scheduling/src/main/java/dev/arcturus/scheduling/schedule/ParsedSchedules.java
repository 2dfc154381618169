package dev.arcturus.scheduling.schedule;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed schedules by text. Schedules are immutable and a fleet uses few distinct cron strings, so parsing each once
 * saves rebuilding the same field sets on every check. Bounded: cleared when it grows past its limit.
 */
final class ParsedSchedules {
    private static final int LIMIT = 10_000;
    private static final Map<String, Schedule> CACHE = new ConcurrentHashMap<>();

    private ParsedSchedules() {
    }

    static Schedule get(final String text) {
        return text == null ? null : CACHE.get(text);
    }

    static void put(final String text, final Schedule schedule) {
        if (CACHE.size() >= LIMIT) {
            CACHE.clear();
        }
        CACHE.put(text, schedule);
    }
}
