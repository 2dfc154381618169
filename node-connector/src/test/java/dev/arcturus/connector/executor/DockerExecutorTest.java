package dev.arcturus.connector.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.arcturus.connector.artifacts.RunArtifacts;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import dev.arcturus.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor against the real {@code dockerd} prepared by {@code ./arcturus test}, with the image it imported
 * locally (no registry is reachable), and artifacts into Azurite through a one-blob SAS.
 */
class DockerExecutorTest {
    private static DockerExecutor executor;
    private static String image;
    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        executor = DockerExecutor.connect(TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false);
        image = TestServices.require("ARCTURUS_TEST_DOCKER_IMAGE");
    }

    @AfterAll
    static void disconnect() {
        executor.close();
    }

    private RunRequest request(final String yaml, final Duration limit) {
        final String runId = "run-" + UUID.randomUUID().toString().substring(0, 8);
        return new RunRequest(runId, "job-1", "node-1", ExperimentConfig.parse(yaml), limit, dir.resolve(runId),
                Map.of("ARCTURUS_SERVER_NODE_ID", "node-2"));
    }

    private String config(final String... argv) {
        final StringBuilder yaml = new StringBuilder("docker:\n  image: " + image + "\n  network: none\n  command:\n");
        for (final String arg : argv) {
            yaml.append("    - '").append(arg.replace("'", "''")).append("'\n");
        }
        return yaml.toString();
    }

    @Test
    void shouldOfferTheExperimentConfigWhereLeoScopeImagesReadItAndTheParamsAsEnvironment() throws Exception {
        final String yaml = config("sh", "-c", "cat /artifacts/experiment-config.yaml > /artifacts/seen.yaml; "
                + "echo \"$ARCTURUS_PARAM_MODE/$ARCTURUS_PARAM_EXECUTE\" > /arcturus/out/params.txt")
                + "params: {mode: docker, execute: ping-target}\n";
        final String runId = "run-" + UUID.randomUUID().toString().substring(0, 8);
        final RunRequest run = new RunRequest(runId, "job-1", "node-1", ExperimentConfig.parse(yaml),
                Duration.ofSeconds(60), dir.resolve(runId), Map.of(), yaml);
        final RunOutcome outcome = executor.run(run, new RunListener() {
            @Override
            public void deploying(final String message) {
            }

            @Override
            public void executing(final String containerId) {
            }
        });
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(Files.readString(run.workDir().resolve("seen.yaml"))).isEqualTo(yaml);
        assertThat(Files.readString(run.workDir().resolve("params.txt")).strip()).isEqualTo("docker/ping-target");
    }

    @Test
    void shouldCompleteAndZipTheRunDirectoryIntoBlobStorage() throws Exception {
        final RunRequest run = request(config("sh", "-c",
                "echo \"$ARCTURUS_RUN_ID on $ARCTURUS_NODE_ID\" > /arcturus/out/result.txt; echo measured"),
                Duration.ofSeconds(60));
        final List<String> progress = new ArrayList<>();
        final RunOutcome outcome = executor.run(run, new RunListener() {
            @Override
            public void deploying(final String message) {
                progress.add("deploying");
            }

            @Override
            public void executing(final String containerId) {
                progress.add("executing");
            }
        });

        assertThat(outcome).isEqualTo(new RunOutcome(RunOutcome.Status.COMPLETED, 0, "exit code 0"));
        assertThat(progress).containsExactly("deploying", "executing");
        assertThat(Files.readString(run.workDir().resolve("result.txt"))).isEqualTo(run.runId() + " on node-1\n");
        assertThat(Files.readString(run.workDir().resolve(DockerExecutor.RUN_LOG))).contains("measured");
        assertThat(executor.containerExists(run.runId())).as("the container is removed").isFalse();

        final Path zip = RunArtifacts.zip(run.workDir(), dir.resolve(run.runId() + ".zip"));
        final String connection = TestServices.require("ARCTURUS_TEST_AZURITE_CONNECTION_STRING");
        final ArtifactStore store = ArtifactStore.connect(connection, Clock.systemUTC());
        final String blob = ArtifactStore.blobName("runs", "node-1", "job-1", run.runId(), Instant.now());
        RunArtifacts.upload(zip, store.uploadUrl("arcturus-artifacts", blob).url());
        RunArtifacts.upload(zip, store.uploadUrl("arcturus-artifacts", blob).url()); // a retry overwrites

        final Path downloaded = dir.resolve("downloaded.zip");
        new BlobServiceClientBuilder().connectionString(connection).buildClient()
                .getBlobContainerClient("arcturus-artifacts").getBlobClient(blob).downloadToFile(downloaded.toString());
        assertThat(entries(downloaded)).containsExactly(DockerExecutor.RUN_LOG, "result.txt");
    }

    @Test
    void shouldFailWithTheExitCode() {
        final RunOutcome outcome = executor.run(request(config("sh", "-c", "exit 3"), Duration.ofSeconds(60)),
                RunListener.NONE);
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
    }

    @Test
    void shouldKillARunAtItsTimeLimit() {
        final RunRequest run = request(config("sleep", "60"), Duration.ofSeconds(2));
        final long start = System.nanoTime();
        final RunOutcome outcome = executor.run(run, RunListener.NONE);
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.TIMED_OUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(executor.containerExists(run.runId())).isFalse();
    }

    @Test
    void shouldFailAMissingImageWithTheReason() {
        final RunOutcome outcome = executor.run(request("docker:\n  image: arcturus/not-here:1\n",
                Duration.ofSeconds(10)), RunListener.NONE);
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("arcturus/not-here:1").contains("not present");
    }

    @Test
    void shouldRefuseShellStringsAndReservedVariables() {
        assertThatThrownBy(() -> ExperimentConfig.parse("docker:\n  image: x\n  command: rm -rf /\n"))
                .hasMessageStartingWith("config.docker.command: must be a list");
        assertThatThrownBy(() -> ExperimentConfig.parse("docker:\n  image: x\n  env:\n    ARCTURUS_RUN_ID: forged\n"))
                .hasMessageStartingWith("config.docker.env.ARCTURUS_RUN_ID");
        assertThatThrownBy(() -> ExperimentConfig.parse("docker: {}\n")).hasMessage("config.docker.image: required");
    }

    private static List<String> entries(final Path zip) throws IOException {
        final List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
