package dev.arcturus.scheduling.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The container part of a job's experiment config (YAML, LEOScope's {@code docker:} section):
 *
 * <pre>
 * docker:
 *   image: registry/image:tag        # required
 *   command: [ping, -c, "3", example.org]   # optional: argv, never a shell string
 *   env: {TARGET: example.org}       # optional; names must not start with ARCTURUS_
 *   network: bridge                  # optional: bridge (default) or none
 *   memory_mb: 256                   # optional
 *   kernel_access: true              # optional: the kernel service (owner must be USER_PRIV, NODE_PRIV or ADMIN)
 *   cpus: 0.5                        # optional
 * params: {mode: docker, deploy: "-", execute: "-", finish: "-"}   # optional: LEOScope's job params, as env
 * </pre>
 *
 * <p>Validated where the job is scheduled (the gateway answers INVALID_ARGUMENT naming the field) and again where it
 * runs. The nodes' policy allows no privileged container, added capability, host volume, host PID or IPC namespace or
 * device: a run that needs the kernel asks for the vetted kernel service instead ({@code kernel_access}).
 */
public record ExperimentConfig(String image, List<String> command, Map<String, String> env, String network,
                               long memoryBytes, double cpus, boolean kernelAccess, Map<String, String> params) {
    /** Where a LEOScope image reads its experiment config; the agent also offers it in the run's output mount. */
    public static final String LEOSCOPE_CONFIG_PATH = "/artifacts/experiment-config.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    // Docker's reference grammar, simplified: [registry[:port]/]path[:tag][@digest], lower-case path components.
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final List<String> NETWORKS = List.of("bridge", "none");
    private static final Set<String> KNOWN = Set.of("image", "command", "env", "network", "memory_mb", "cpus",
            "kernel_access");
    private static final Set<String> REFUSED = Set.of("privileged", "cap_add", "volumes", "binds", "pid", "ipc",
            "devices", "security_opt", "user", "userns_mode");
    private static final Set<String> PARAMS = Set.of("mode", "deploy", "execute", "finish");

    /** Parses and validates; every problem names the field. */
    public static ExperimentConfig parse(final String yaml) {
        final JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (final IOException e) {
            throw new InvalidExperimentException("config: not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        final JsonNode docker = root == null ? null : root.get("docker");
        if (docker == null || !docker.isObject()) {
            throw new InvalidExperimentException("config.docker: required (with at least docker.image)");
        }
        docker.fieldNames().forEachRemaining(field -> {
            if (REFUSED.contains(field)) {
                throw new InvalidExperimentException("config.docker." + field + ": not allowed by the nodes' policy "
                        + "(no privileged or host-sharing containers; kernel_access offers the vetted operations)");
            }
            if (!KNOWN.contains(field)) {
                throw new InvalidExperimentException("config.docker." + field + ": unknown field (known: "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN)) + ")");
            }
        });
        final String image = text(docker, "image").filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidExperimentException("config.docker.image: required"));
        if (image.length() > 255 || !IMAGE.matcher(image).matches()) {
            throw new InvalidExperimentException("config.docker.image: not an image reference: " + image);
        }
        final List<String> command = new ArrayList<>();
        final JsonNode cmd = docker.get("command");
        if (cmd != null) {
            if (!cmd.isArray()) {
                throw new InvalidExperimentException("config.docker.command: must be a list of arguments (no shell "
                        + "string is ever built from job data)");
            }
            cmd.forEach(arg -> command.add(arg.asText()));
        }
        final Map<String, String> env = new LinkedHashMap<>();
        final JsonNode envNode = docker.get("env");
        if (envNode != null) {
            if (!envNode.isObject()) {
                throw new InvalidExperimentException("config.docker.env: must be a map of NAME: value");
            }
            envNode.fields().forEachRemaining(e -> {
                if (!ENV_NAME.matcher(e.getKey()).matches() || e.getKey().startsWith("ARCTURUS_")) {
                    throw new InvalidExperimentException("config.docker.env." + e.getKey()
                            + ": names are letters, digits and _, and ARCTURUS_* is reserved");
                }
                env.put(e.getKey(), e.getValue().asText());
            });
        }
        final String network = text(docker, "network").orElse("bridge");
        if (!NETWORKS.contains(network)) {
            throw new InvalidExperimentException("config.docker.network: bridge or none, was " + network);
        }
        final long memoryMb = docker.path("memory_mb").asLong(0);
        final double cpus = docker.path("cpus").asDouble(0);
        if (memoryMb < 0 || cpus < 0) {
            throw new InvalidExperimentException("config.docker: memory_mb and cpus must not be negative");
        }
        final JsonNode kernel = docker.path("kernel_access");
        if (!kernel.isMissingNode() && !kernel.isBoolean()) {
            throw new InvalidExperimentException("config.docker.kernel_access: true or false");
        }
        return new ExperimentConfig(image, List.copyOf(command), Map.copyOf(env), network, memoryMb * 1024 * 1024, cpus,
                kernel.asBoolean(false), params(root.get("params")));
    }

    /** LEOScope's job params (mode, deploy, execute, finish), which reach the container as ARCTURUS_PARAM_*. */
    private static Map<String, String> params(final JsonNode params) {
        if (params == null || params.isNull()) {
            return Map.of();
        }
        if (!params.isObject()) {
            throw new InvalidExperimentException("config.params: must be a map of mode, deploy, execute, finish");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> {
            if (!PARAMS.contains(e.getKey())) {
                throw new InvalidExperimentException("config.params." + e.getKey() + ": unknown (mode, deploy, execute "
                        + "or finish)");
            }
            values.put(e.getKey(), e.getValue().asText());
        });
        return Map.copyOf(values);
    }

    private static Optional<String> text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** An experiment config that cannot run; the message names the field. */
    public static final class InvalidExperimentException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidExperimentException(final String message) {
            super(message);
        }
    }
}
