package dev.arcturus.sinks.mysql.capture;

import java.util.Objects;

/** A place in MySQL's binary log: the file and the byte offset of the next event to read. */
record BinlogPosition(String file, long position) {
    BinlogPosition {
        Objects.requireNonNull(file, "file");
        if (file.isBlank() || file.contains("@") || position < 4) {
            throw new IllegalArgumentException("not a binary log position: " + file + "@" + position);
        }
    }

    /** {@code <file>@<position>}, as stored in the position topic. */
    static BinlogPosition parse(final String text) {
        final int at = text.lastIndexOf('@');
        if (at < 1) {
            throw new IllegalArgumentException("not a binary log position: " + text);
        }
        return new BinlogPosition(text.substring(0, at), Long.parseLong(text.substring(at + 1)));
    }

    @Override
    public String toString() {
        return file + "@" + position;
    }
}
