package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.gateway.api.v1.ArtifactUrl;
import dev.arcturus.gateway.api.v1.GetArtifactDownloadUrlRequest;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.client.Timestamps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Artifacts in Azure Blob (Azurite): a node uploads its run's zip with a one-blob SAS, the owner downloads it with a
 * read SAS, and neither URL grants anything else. The account key never leaves the gateway.
 */
class ArtifactUrlsTest {
    private static final Instant SCHEDULED = Instant.parse("2027-04-03T09:00:00Z");
    private final GatewayFixture gateway = GatewayFixture.instance();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldLetTheNodeUploadAndOnlyTheOwnerDownloadOneBlob() throws Exception {
        final String owner = unique("owner");
        final String ownerToken = gateway.newUser(owner, Role.USER);
        final String strangerToken = gateway.newUser(unique("stranger"), Role.USER);
        final String node = unique("node");
        final String nodeToken = gateway.newNode(node, Role.NODE);
        final String job = gateway.jobs(ownerToken).scheduleJob(ScheduleJobRequest.newBuilder().setJob(JobSpec
                .newBuilder().setId(unique("job")).setNodeId(node).setType(JobType.CRON).setSchedule("0 9 * * *")
                .setStart(Timestamps.of(Instant.parse("2027-04-01T00:00:00Z")))
                .setEnd(Timestamps.of(Instant.parse("2027-04-10T00:00:00Z"))).setLengthSeconds(60)
                .setConfig("docker:\n  image: x\n")).build()).getJobId();
        final String run = unique("run");

        final ArtifactUrl upload = gateway.runs(nodeToken).getArtifactUploadUrl(GetArtifactUploadUrlRequest.newBuilder()
                .setRunId(run).setJobId(job).setNodeId(node).setScheduledAt(Timestamps.of(SCHEDULED)).build());
        assertThat(upload.getBlobUrl()).endsWith("/runs/" + node + "/" + job + "/2027/04/03/" + run + ".zip")
                .doesNotContain("sig=");
        assertThat(upload.getUrl()).contains("sig=").doesNotContain("AccountKey");
        assertThat(put(upload.getUrl(), "zip bytes")).isEqualTo(201);
        assertThat(put(upload.getUrl().replace("/" + run + ".zip", "/elsewhere.zip"), "forged"))
                .as("the upload SAS is for one blob only").isEqualTo(403);

        gateway.runs(nodeToken).updateRun(UpdateRunRequest.newBuilder().setRunId(run).setJobId(job).setNodeId(node)
                .setScheduledAt(Timestamps.of(SCHEDULED)).setStatus(RunStatus.COMPLETED)
                .setArtifactUrl(upload.getBlobUrl()).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> !gateway.runs(ownerToken).getRuns(GetRunsRequest.newBuilder()
                .setRunId(run).build()).getRunsList().isEmpty());

        final ArtifactUrl download = gateway.runs(ownerToken).getArtifactDownloadUrl(GetArtifactDownloadUrlRequest
                .newBuilder().setRunId(run).build());
        final HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(download.getUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("zip bytes");
        assertThat(put(download.getUrl(), "overwrite")).as("a read SAS cannot write").isEqualTo(403);
        assertThatThrownBy(() -> gateway.runs(strangerToken).getArtifactDownloadUrl(GetArtifactDownloadUrlRequest
                .newBuilder().setRunId(run).build())).hasMessageContaining("PERMISSION_DENIED");
    }

    private int put(final String url, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
