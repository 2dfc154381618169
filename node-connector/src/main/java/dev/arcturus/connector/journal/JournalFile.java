package dev.arcturus.connector.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of framed records — {@code [length][CRC32C][payload]} — written with the JDK's
 * {@link FileChannel} and made durable with {@link FileChannel#force} before {@link #append} returns. Reading stops at
 * the first torn or corrupt frame (a crash mid-write) and cuts the file there, so the next append starts clean.
 * {@link #rewrite} replaces the whole file atomically (write a sibling, force it, rename over), which is how the
 * journal prunes what the plane acknowledged.
 */
final class JournalFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalFile.class);
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 16 * 1024 * 1024;

    private final Path path;
    private FileChannel channel;

    private JournalFile(final Path path, final FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens (creating it and its directory) and returns the file with the intact records it holds. */
    static JournalFile open(final Path path, final List<byte[]> records) {
        try {
            Files.createDirectories(path.getParent());
            final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            lock(channel, path);
            final long intact = read(channel, records);
            if (intact < channel.size()) {
                log.warn("Journal {}: cut a torn tail of {} bytes at offset {} (a crash mid-write)", path,
                        channel.size() - intact, intact);
                channel.truncate(intact);
                channel.force(true);
            }
            channel.position(intact);
            return new JournalFile(path, channel);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open journal " + path, e);
        }
    }

    /** Two agents appending to one journal would interleave their frames: the second one is refused. */
    private static void lock(final FileChannel channel, final Path path) throws IOException {
        try {
            if (channel.tryLock() != null) {
                return;
            }
        } catch (final OverlappingFileLockException e) {
            // held by this JVM
        }
        channel.close();
        throw new IllegalStateException("journal " + path + " is held by another agent for this node and work "
                + "directory; stop it first");
    }

    private static long read(final FileChannel channel, final List<byte[]> records) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(HEADER);
        long position = 0;
        while (true) {
            header.clear();
            if (channel.read(header, position) < HEADER) {
                return position;
            }
            header.flip();
            final int length = header.getInt();
            final int crc = header.getInt();
            if (length < 0 || length > MAX_RECORD || position + HEADER + length > channel.size()) {
                return position;
            }
            final ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, position + HEADER);
            if (checksum(payload.array()) != crc) {
                return position;
            }
            records.add(payload.array());
            position += HEADER + length;
        }
    }

    /** Appends one record; durable (fsync'd) when this returns. */
    synchronized void append(final byte[] record) {
        try {
            channel.write(frame(record));
            channel.force(false);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot append to journal " + path, e);
        }
    }

    /** Appends without forcing: for facts whose loss only repeats work (an acknowledgement). */
    synchronized void appendLazily(final byte[] record) {
        try {
            channel.write(frame(record));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot append to journal " + path, e);
        }
    }

    /** Replaces the file's content with {@code records}, atomically: a crash leaves the old file or the new. */
    synchronized void rewrite(final List<byte[]> records) {
        try {
            channel.close();
            writeAtomically(path, records);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock(channel, path);
            channel.position(channel.size());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot replace journal " + path, e);
        }
    }

    /** Writes a small file whole and atomically (a snapshot), with the same framing. */
    static void writeAtomically(final Path path, final List<byte[]> records) {
        try {
            Files.createDirectories(path.getParent());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + path.getParent(), e);
        }
        final Path next = path.resolveSibling(path.getFileName() + ".next");
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (final byte[] record : records) {
                out.write(frame(record));
            }
            out.force(true);
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(path.getParent());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** Reads a file written by {@link #writeAtomically}; empty when it does not exist. */
    static List<byte[]> readAll(final Path path) {
        final List<byte[]> records = new ArrayList<>();
        if (!Files.isRegularFile(path)) {
            return records;
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            read(in, records);
            return records;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    long size() {
        try {
            return channel.size();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer frame(final byte[] record) {
        final ByteBuffer frame = ByteBuffer.allocate(HEADER + record.length);
        frame.putInt(record.length).putInt(checksum(record)).put(record).flip();
        return frame;
    }

    private static int checksum(final byte[] bytes) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** A rename is durable only once its directory is: force it too (a no-op where the OS refuses). */
    private static void forceDirectory(final Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (final IOException e) {
            log.debug("Directory {} cannot be forced: {}", directory, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (final IOException e) {
            log.debug("Closing journal {}: {}", path, e.toString());
        }
    }
}
