package dev.arcturus.connector.executor;

import dev.arcturus.scheduling.experiment.ExperimentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One occurrence to execute.
 *
 * @param runId      the run's id, deterministic from (job, scheduled time), so a restart finds its container again
 * @param timeLimit  the job's length: the hard limit after which the container is killed
 * @param workDir    host directory mounted at {@code /arcturus/out}; zipped as the run's artifact afterwards
 * @param plane      ARCTURUS_* variables describing the run (job, run, node, server node and address)
 * @param configYaml the job's experiment config as written, offered to the container as a file (LEOScope images
 *                   read {@code /artifacts/experiment-config.yaml})
 */
public record RunRequest(String runId, String jobId, String nodeId, ExperimentConfig experiment, Duration timeLimit,
                         Path workDir, Map<String, String> plane, String configYaml) {
    public static final String OUTPUT_MOUNT = "/arcturus/out";
    /** The same run directory where LEOScope images expect it. */
    public static final String LEOSCOPE_MOUNT = "/artifacts";
    public static final String CONFIG_FILE = "experiment-config.yaml";

    public RunRequest(final String runId, final String jobId, final String nodeId, final ExperimentConfig experiment,
                      final Duration timeLimit, final Path workDir, final Map<String, String> plane) {
        this(runId, jobId, nodeId, experiment, timeLimit, workDir, plane, "");
    }
}
