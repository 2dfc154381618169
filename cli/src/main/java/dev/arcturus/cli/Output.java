package dev.arcturus.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.arcturus.gateway.client.Timestamps;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Human tables by default; protobuf's canonical JSON with {@code --json}. */
final class Output {
    private final PrintStream out;
    private final boolean json;

    Output(final PrintStream out, final boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void message(final MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().print(message));
        } catch (final InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /** One JSON object per line (for streams). */
    void line(final MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(message));
        } catch (final InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    void table(final List<String> header, final List<List<String>> rows) {
        final int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            widths[c] = header.get(c).length();
            for (final List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        print(header, widths);
        for (final List<String> row : rows) {
            print(row, widths);
        }
    }

    private void print(final List<String> cells, final int[] widths) {
        final List<String> padded = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            padded.add(c == cells.size() - 1 ? cells.get(c) : String.format("%-" + widths[c] + "s", cells.get(c)));
        }
        out.println(String.join("  ", padded).stripTrailing());
    }

    void text(final String line) {
        out.println(line);
    }

    static String time(final Timestamp timestamp) {
        return Timestamps.isUnset(timestamp) ? "-" : Timestamps.instant(timestamp).toString();
    }

    static String orDash(final String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
