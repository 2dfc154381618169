package dev.arcturus.gateway.artifacts;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Run artifacts in Azure Blob storage. The storage account key stays here, in the gateway's own configuration (never
 * in Kafka, never in an answer); nodes and users get short-lived SAS URLs for exactly one blob: a node may create
 * its run's zip for an hour, an owner may read it for the configured link validity.
 *
 * <p>Blob names follow LEOScope's layout with zero-padded dates: {@code <prefix>/<node>/<job>/<yyyy>/<mm>/<dd>/<run>.zip}.
 */
public final class ArtifactStore {
    public static final String CONNECTION_STRING_ENV = "ARCTURUS_BLOB_CONNECTION_STRING";
    public static final Duration UPLOAD_VALIDITY = Duration.ofHours(1);
    public static final Duration MAX_DOWNLOAD_VALIDITY = Duration.ofDays(7);
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private final BlobServiceClient service;
    private final Clock clock;

    private ArtifactStore(final BlobServiceClient service, final Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** The store configured by {@code ARCTURUS_BLOB_CONNECTION_STRING}, if any. */
    public static Optional<ArtifactStore> fromEnvironment(final Clock clock) {
        return Optional.ofNullable(System.getenv(CONNECTION_STRING_ENV)).filter(s -> !s.isBlank())
                .map(connection -> connect(connection, clock));
    }

    public static ArtifactStore connect(final String connectionString, final Clock clock) {
        return new ArtifactStore(new BlobServiceClientBuilder().connectionString(connectionString).buildClient(), clock);
    }

    /** Where a run's zip lives: prefix/node/job/yyyy/mm/dd/run.zip, dated by the run's scheduled time (UTC). */
    public static String blobName(final String prefix, final String nodeId, final String jobId, final String runId,
                                  final Instant scheduledAt) {
        for (final String segment : new String[] {nodeId, jobId, runId}) {
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("unsafe blob path segment '" + segment + "'");
            }
        }
        final ZonedDateTime day = scheduledAt.atZone(ZoneOffset.UTC);
        return String.format("%s%s/%s/%04d/%02d/%02d/%s.zip", prefix.isEmpty() ? "" : prefix + "/", nodeId, jobId,
                day.getYear(), day.getMonthValue(), day.getDayOfMonth(), runId);
    }

    /** A URL that may create (and overwrite) this one blob for an hour; creates the container if missing. */
    public SignedUrl uploadUrl(final String container, final String blobName) {
        final BlobContainerClient containerClient = service.getBlobContainerClient(container);
        containerClient.createIfNotExists();
        final Instant expires = clock.instant().plus(UPLOAD_VALIDITY);
        return sign(containerClient.getBlobClient(blobName), new BlobSasPermission().setCreatePermission(true)
                .setWritePermission(true), expires);
    }

    /** A URL that may read this one blob until {@code validity} from now (capped at 7 days). */
    public SignedUrl downloadUrl(final String container, final String blobName, final Duration validity) {
        final Duration capped = validity.compareTo(MAX_DOWNLOAD_VALIDITY) > 0 ? MAX_DOWNLOAD_VALIDITY : validity;
        final Instant expires = clock.instant().plus(capped);
        return sign(service.getBlobContainerClient(container).getBlobClient(blobName),
                new BlobSasPermission().setReadPermission(true), expires);
    }

    /** The plain (unsigned) URL recorded on the run: it names the blob but grants nothing. */
    public String plainUrl(final String container, final String blobName) {
        return readable(service.getBlobContainerClient(container).getBlobClient(blobName).getBlobUrl());
    }

    private static SignedUrl sign(final BlobClient blob, final BlobSasPermission permission, final Instant expires) {
        final String sas = blob.generateSas(new BlobServiceSasSignatureValues(expires.atOffset(ZoneOffset.UTC),
                permission));
        return new SignedUrl(readable(blob.getBlobUrl()) + "?" + sas, expires);
    }

    /** The SDK encodes the path's slashes; the service reads both forms, people read only one. */
    private static String readable(final String url) {
        return url.replace("%2F", "/");
    }

    /** A SAS URL and when it stops working. */
    public record SignedUrl(String url, Instant expiresAt) {
    }
}
