package dev.arcturus.connector.artifacts;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A run's artifact: its directory zipped, uploaded with the one-blob SAS URL the gateway issued for it (the node
 * never holds a storage key). Large files go up in blocks (the SDK's uploadFromFile).
 */
public final class RunArtifacts {

    private RunArtifacts() {
    }

    /** Zips every regular file under {@code runDir} (paths relative to it, sorted) into {@code zip}. */
    public static Path zip(final Path runDir, final Path zip) {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file);
             Stream<Path> walk = Files.walk(runDir)) {
            final List<Path> files = walk.filter(Files::isRegularFile).filter(p -> !p.equals(zip)).sorted().toList();
            for (final Path path : files) {
                out.putNextEntry(new ZipEntry(runDir.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
            return zip;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot zip " + runDir, e);
        }
    }

    /** Uploads (overwriting: a retried upload of the same run is idempotent) to the signed URL. */
    public static void upload(final Path zip, final String signedUrl) {
        final BlobClient blob = new BlobClientBuilder().endpoint(signedUrl).buildClient();
        blob.uploadFromFile(zip.toString(), true);
    }
}
