package dev.arcturus.gateway.dashboard;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for the dashboard's own, fixed shapes (no reflection, so no field leaks by accident). */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    private Json(final char open) {
        out.append(open);
    }

    static Json object() {
        return new Json('{');
    }

    Json field(final String name, final Object value) {
        separator();
        quote(out, name);
        out.append(':');
        write(out, value);
        return this;
    }

    String end() {
        return out.append('}').toString();
    }

    /** Wraps already-encoded JSON so {@link #write} inserts it verbatim. */
    record Raw(String json) {
    }

    static String array(final Collection<String> encoded) {
        return "[" + String.join(",", encoded) + "]";
    }

    private void separator() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private static void write(final StringBuilder out, final Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (value instanceof Instant instant) {
            out.append(instant.toEpochMilli());
        } else if (value instanceof Collection<?> items) {
            out.append('[');
            boolean firstItem = true;
            for (final Object item : items) {
                if (!firstItem) {
                    out.append(',');
                }
                firstItem = false;
                write(out, item);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean firstEntry = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                if (!firstEntry) {
                    out.append(',');
                }
                firstEntry = false;
                quote(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else {
            quote(out, value.toString());
        }
    }

    private static void quote(final StringBuilder out, final CharSequence text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' escaped too, so no value can close a script or style element wherever the JSON lands
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
