package dev.arcturus.connector.executor;

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
 */
public record RunRequest(String runId, String jobId, String nodeId, ExperimentConfig experiment, Duration timeLimit,
                         Path workDir, Map<String, String> plane) {
    public static final String OUTPUT_MOUNT = "/arcturus/out";
}
