package dev.arcturus.connector.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * </pre>
 */
public record ExperimentConfig(String image, List<String> command, Map<String, String> env, String network,
                               long memoryBytes, double cpus, boolean kernelAccess) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final List<String> NETWORKS = List.of("bridge", "none");

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
        final String image = text(docker, "image").filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidExperimentException("config.docker.image: required"));
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
                kernel.asBoolean(false));
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
