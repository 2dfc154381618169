package dev.arcturus.connector.executor;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment occurrence as a Docker container through docker-java: make the image available (a missing one
 * fails the run with the reason), create the container with its argv (never a shell string), the run's
 * {@code ARCTURUS_*} environment, labels, network and limits, stream its logs into the run directory, enforce the
 * job's hard time limit, and always remove the container.
 *
 * <p>The container is named after the run, so a connector that restarts mid-run finds and waits for the same
 * container instead of starting the occurrence twice.
 */
public final class DockerExecutor implements AutoCloseable {
    public static final String RUN_LOG = "arcturus-run.log";
    private static final Logger log = LoggerFactory.getLogger(DockerExecutor.class);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

    private final DockerClient docker;
    private final boolean pullMissingImages;

    private DockerExecutor(final DockerClient docker, final boolean pullMissingImages) {
        this.docker = docker;
        this.pullMissingImages = pullMissingImages;
    }

    /**
     * Connects to the engine at {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock}).
     *
     * @param pullMissingImages whether an image not present locally is pulled (off where no registry is reachable)
     */
    public static DockerExecutor connect(final String dockerHost, final boolean pullMissingImages) {
        final DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        final ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofMinutes(15)).build();
        return new DockerExecutor(DockerClientImpl.getInstance(config, http), pullMissingImages);
    }

    /** Executes the run to its end; never throws for the experiment's own failures, only reports them. */
    public RunOutcome run(final RunRequest request, final RunListener listener) {
        try {
            Files.createDirectories(request.workDir());
            if (!request.configYaml().isEmpty()) {
                Files.writeString(request.workDir().resolve(RunRequest.CONFIG_FILE), request.configYaml());
            }
        } catch (final IOException e) {
            return new RunOutcome(RunOutcome.Status.FAILED, null, "cannot create the run directory: " + e.getMessage());
        }
        final String image = request.experiment().image();
        listener.deploying("image " + image);
        final String missing = ensureImage(image);
        if (missing != null) {
            return new RunOutcome(RunOutcome.Status.FAILED, null, missing);
        }
        final String containerId;
        try {
            containerId = createOrFind(request);
        } catch (final DockerException | DockerClientException | IllegalArgumentException e) {
            return new RunOutcome(RunOutcome.Status.FAILED, null, "cannot create the container: " + e.getMessage());
        }
        try {
            startIfNeeded(containerId);
            listener.executing(containerId);
            try (LogSink logs = new LogSink(request.workDir().resolve(RUN_LOG))) {
                docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                        .exec(logs);
                final RunOutcome outcome = await(containerId, request.timeLimit());
                logs.awaitDrained();
                return outcome;
            }
        } catch (final DockerException e) {
            return new RunOutcome(RunOutcome.Status.FAILED, null, "container failed: " + e.getMessage());
        } finally {
            remove(containerId);
        }
    }

    /** Null when the image is available; else the reason it is not. */
    private String ensureImage(final String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return null;
        } catch (final NotFoundException e) {
            if (!pullMissingImages) {
                return "image " + image + " is not present on this node (pulling is disabled)";
            }
        } catch (final DockerException | DockerClientException | IllegalArgumentException e) {
            // e.g. a name Docker refuses outright: the run ends with Docker's own words, never stuck DEPLOYING.
            return "image " + image + " refused by Docker: " + e.getMessage();
        }
        try {
            docker.pullImageCmd(image).exec(new PullImageResultCallback())
                    .awaitCompletion(PULL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            docker.inspectImageCmd(image).exec();
            return null;
        } catch (final DockerException | DockerClientException e) {
            return "image " + image + " could not be pulled: " + e.getMessage();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted pulling image " + image;
        }
    }

    private String createOrFind(final RunRequest request) {
        final String name = containerName(request.runId());
        final ExperimentConfig experiment = request.experiment();
        final HostConfig host = HostConfig.newHostConfig()
                .withBinds(new Bind(request.workDir().toAbsolutePath().toString(), new Volume(RunRequest.OUTPUT_MOUNT)),
                        new Bind(request.workDir().toAbsolutePath().toString(), new Volume(RunRequest.LEOSCOPE_MOUNT)))
                .withNetworkMode(experiment.network());
        if (experiment.memoryBytes() > 0) {
            host.withMemory(experiment.memoryBytes());
        }
        if (experiment.cpus() > 0) {
            host.withNanoCPUs((long) (experiment.cpus() * 1e9));
        }
        final var create = docker.createContainerCmd(experiment.image()).withName(name).withEnv(environment(request))
                .withLabels(Map.of("arcturus.run", request.runId(), "arcturus.job", request.jobId(),
                        "arcturus.node", request.nodeId()))
                .withHostConfig(host);
        if (!experiment.command().isEmpty()) {
            create.withCmd(experiment.command());
        }
        try {
            return create.exec().getId();
        } catch (final ConflictException e) {
            log.info("Run {}: container {} exists (connector restarted mid-run); resuming it", request.runId(), name);
            return docker.inspectContainerCmd(name).exec().getId();
        }
    }

    private static List<String> environment(final RunRequest request) {
        final Map<String, String> env = new TreeMap<>(request.experiment().env());
        env.putAll(request.plane());
        request.experiment().params().forEach((name, value) ->
                env.put("ARCTURUS_PARAM_" + name.toUpperCase(java.util.Locale.ROOT), value));
        env.put("ARCTURUS_RUN_ID", request.runId());
        env.put("ARCTURUS_JOB_ID", request.jobId());
        env.put("ARCTURUS_NODE_ID", request.nodeId());
        env.put("ARCTURUS_OUTPUT_DIR", RunRequest.OUTPUT_MOUNT);
        final List<String> list = new ArrayList<>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }

    private void startIfNeeded(final String containerId) {
        final var state = docker.inspectContainerCmd(containerId).exec().getState();
        final Boolean running = state.getRunning();
        final String finishedAt = state.getFinishedAt();
        final boolean neverStarted = finishedAt == null || finishedAt.startsWith("0001-");
        if (!Boolean.TRUE.equals(running) && neverStarted) {
            docker.startContainerCmd(containerId).exec();
        }
    }

    private RunOutcome await(final String containerId, final Duration limit) {
        try {
            final int exit = docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(limit.toMillis(), TimeUnit.MILLISECONDS);
            return exit == 0 ? new RunOutcome(RunOutcome.Status.COMPLETED, 0, "exit code 0")
                    : new RunOutcome(RunOutcome.Status.FAILED, exit, "exit code " + exit);
        } catch (final DockerClientException e) {
            // awaitStatusCode gives up at the limit: the run overstayed its length.
            try {
                docker.killContainerCmd(containerId).exec();
            } catch (final DockerException alreadyGone) {
                log.debug("Container {} ended while being killed", containerId);
            }
            return new RunOutcome(RunOutcome.Status.TIMED_OUT, null, "killed at the time limit of " + limit.toSeconds()
                    + " s");
        }
    }

    private void remove(final String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (final NotFoundException e) {
            log.debug("Container {} already removed", containerId);
        } catch (final DockerException e) {
            log.warn("Could not remove container {}: {}", containerId, e.getMessage());
        }
    }

    /** Kills the run's container if it is running (scavenger mode); its {@link #run} then ends. */
    public void stop(final String runId) {
        try {
            docker.killContainerCmd(containerName(runId)).exec();
        } catch (final DockerException e) {
            log.debug("Run {}: nothing to stop ({})", runId, e.getMessage());
        }
    }

    /** The host pid of a run's container, or 0 when it is not running. */
    public long containerPid(final String runId) {
        try {
            final var state = docker.inspectContainerCmd(containerName(runId)).exec().getState();
            return Boolean.TRUE.equals(state.getRunning()) && state.getPidLong() != null ? state.getPidLong() : 0;
        } catch (final NotFoundException e) {
            return 0;
        }
    }

    /** The address of the default bridge network's gateway: the host as containers on that network see it. */
    public String bridgeGateway() {
        return bridgeGateway("bridge");
    }

    /** The host's address on a bridge network (see {@link BridgeGateway} for how it is found). */
    public String bridgeGateway(final String network) {
        final var inspected = docker.inspectNetworkCmd().withNetworkId(network).exec();
        final var ipam = inspected.getIpam();
        final List<BridgeGateway.Pool> pools = ipam == null || ipam.getConfig() == null ? List.of()
                : ipam.getConfig().stream().map(c -> new BridgeGateway.Pool(c.getSubnet(), c.getGateway())).toList();
        return BridgeGateway.resolve(inspected.getId(), inspected.getOptions(), pools,
                BridgeGateway::hostInterfaceIpv4);
    }

    /** Whether a container of this run exists (running or not). */
    public boolean containerExists(final String runId) {
        try {
            docker.inspectContainerCmd(containerName(runId)).exec();
            return true;
        } catch (final NotFoundException e) {
            return false;
        }
    }

    static String containerName(final String runId) {
        return "arcturus-run-" + runId.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (final IOException e) {
            log.debug("Closing the Docker client: {}", e.getMessage());
        }
    }

    /** Appends the container's stdout and stderr to the run log, line by line, as they arrive. */
    private static final class LogSink extends ResultCallback.Adapter<Frame> {
        private final BufferedWriter out;

        LogSink(final Path file) {
            try {
                this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write the run log " + file, e);
            }
        }

        @Override
        public void onNext(final Frame frame) {
            try {
                out.write(new String(frame.getPayload(), StandardCharsets.UTF_8));
                out.flush();
            } catch (final IOException e) {
                log.warn("Run log write failed: {}", e.getMessage());
            }
        }

        void awaitDrained() {
            try {
                awaitCompletion(5, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            try {
                super.close();
                out.close();
            } catch (final IOException e) {
                log.debug("Closing the run log: {}", e.getMessage());
            }
        }
    }
}
