package dev.arcturus.launcher.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arcturus.cli.ExitCodes;
import dev.arcturus.cli.GatewayClient;
import dev.arcturus.connector.ConnectorSettings;
import dev.arcturus.connector.NodeConnector;
import dev.arcturus.connector.TelemetrySettings;
import dev.arcturus.connector.providers.ProviderSpec;
import dev.arcturus.launcher.metrics.MetricsOptions;
import dev.arcturus.launcher.serve.Lifetime;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus connector}: runs the node connector for one node, or for several from one process (a region's
 * nodes, each with its own Docker engine), until stopped. Tokens come from files or the environment, never flags.
 * <pre>
 *   ./arcturus connector --nodeid lab-1 --node-token-file lab-1.token --docker-host unix:///var/run/docker.sock
 *   ./arcturus connector --nodes-file region.yaml
 *
 *   # region.yaml
 *   nodes:
 *     - id: lab-1
 *       token_file: /etc/arcturus/lab-1.token
 *       docker_host: unix:///var/run/docker.sock
 *     - id: lab-2
 *       token_file: /etc/arcturus/lab-2.token
 *       docker_host: tcp://10.0.0.7:2375
 *       probe_port: 50056              # optional; default --probe-port
 * </pre>
 */
@Command(name = "connector", mixinStandardHelpOptions = true,
        description = "Run the node connector for one node or several (--nodes-file) until stopped.")
public final class ConnectorCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ConnectorCommand.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Mixin
    GatewayClient gateway;
    @Mixin
    MetricsOptions metrics;
    @Option(names = "--nodeid", description = "The node to act as (with --node-token-file or ARCTURUS_NODE_TOKEN).")
    String nodeId;
    @Option(names = "--node-token-file", description = "File holding the node's token.")
    Path nodeTokenFile;
    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock",
            description = "The node's Docker engine (default ${DEFAULT-VALUE}).")
    String dockerHost;
    @Option(names = "--nodes-file", description = "YAML list of nodes (id, token_file, docker_host, probe_port).")
    Path nodesFile;
    @Option(names = "--work-dir", defaultValue = ".arcturus/connector", description = "Run directories (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--pull-images", description = "Pull missing images (off where no registry is reachable).")
    boolean pullImages;
    @Option(names = "--heartbeat-seconds", defaultValue = "10")
    int heartbeatSeconds;
    @Option(names = "--system-info-seconds", defaultValue = "10")
    int systemInfoSeconds;
    @Option(names = "--probe-seconds", defaultValue = "30")
    int probeSeconds;
    @Option(names = "--probe-port", defaultValue = "" + TelemetrySettings.DEFAULT_PROBE_PORT,
            description = "Port this host answers peers' probes on, and probes them at (0: none).")
    int probePort;
    @Option(names = "--no-kernel-service", description = "Do not offer privileged runs the kernel service.")
    boolean noKernelService;
    @Option(names = "--providers-file", description = "YAML list of trigger providers (node-connector/DESIGN.md): "
            + "exec (argv), url or tcp_rtt; period_seconds; stale_after_seconds.")
    Path providersFile;

    @Override
    public Integer call() throws Exception {
        final List<ConnectorSettings> nodes = nodes();
        final Lifetime lifetime = new Lifetime();
        final List<NodeConnector> connectors = start(nodes, gateway.longLivedChannel());
        connectors.forEach(lifetime::add);
        // A node whose token is rejected stops by itself; once none is left, retrying would only hide the cause.
        CompletableFuture.allOf(connectors.stream().map(NodeConnector::stopped).toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    System.err.println("arcturus connector: the plane rejected every node's token; stopping "
                            + "(see the log for each node)");
                    System.exit(ExitCodes.DENIED);
                });
        metrics.start(Map.of()).ifPresent(lifetime::add);
        log.info("Connector running for {} node(s): {}", nodes.size(), nodes.stream().map(ConnectorSettings::nodeId).toList());
        lifetime.runUntilStopped("connector");
        return ExitCodes.OK;
    }

    /** Starts a connector per node on one shared channel (each authenticates with its own token). */
    public static List<NodeConnector> start(final List<ConnectorSettings> nodes, final ManagedChannel channel) {
        final List<NodeConnector> running = new ArrayList<>();
        try {
            for (final ConnectorSettings node : nodes) {
                running.add(NodeConnector.start(node, channel));
            }
            return running;
        } catch (final RuntimeException e) {
            running.forEach(NodeConnector::close);
            throw e;
        }
    }

    /** The nodes this invocation serves, from the flags or the nodes file. */
    public List<ConnectorSettings> nodes() {
        final TelemetrySettings telemetry = new TelemetrySettings(Duration.ofSeconds(systemInfoSeconds),
                Duration.ofSeconds(probeSeconds), 5, Duration.ofSeconds(2), probePort, !noKernelService,
                providersFile == null ? List.of() : providers(providersFile));
        if (nodesFile != null) {
            if (nodeId != null) {
                throw new IllegalArgumentException("--nodeid: give one node, or --nodes-file, not both");
            }
            return fromFile(nodesFile, telemetry);
        }
        if (nodeId == null) {
            throw new IllegalArgumentException("--nodeid or --nodes-file: required");
        }
        final String token = nodeTokenFile != null ? read(nodeTokenFile) : System.getenv("ARCTURUS_NODE_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--node-token-file or ARCTURUS_NODE_TOKEN: the node's token is required");
        }
        return List.of(settings(nodeId, token.strip(), dockerHost, telemetry));
    }

    List<ConnectorSettings> fromFile(final Path file, final TelemetrySettings telemetry) {
        final JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (final IOException e) {
            throw new IllegalArgumentException("--nodes-file: cannot read " + file + ": " + e.getMessage());
        }
        final JsonNode list = root == null ? null : root.get("nodes");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("--nodes-file: needs a non-empty 'nodes' list");
        }
        final List<ConnectorSettings> nodes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            final JsonNode node = list.get(i);
            final String id = required(node, "id", i);
            final String token = read(file.resolveSibling(required(node, "token_file", i)));
            final String docker = node.path("docker_host").asText(dockerHost);
            final int port = node.path("probe_port").asInt(telemetry.probePort());
            nodes.add(settings(id, token, docker, telemetry.withProbePort(port)));
        }
        if (nodes.stream().map(ConnectorSettings::nodeId).distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("--nodes-file: node ids must be distinct");
        }
        return nodes;
    }

    /** The trigger providers file: {@code providers: [{name, exec|url|tcp_rtt, period_seconds, stale_after_seconds}]}. */
    static List<ProviderSpec> providers(final Path file) {
        final JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (final IOException e) {
            throw new IllegalArgumentException("--providers-file: cannot read " + file + ": " + e.getMessage());
        }
        final JsonNode list = root == null ? null : root.get("providers");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("--providers-file: needs a 'providers' list");
        }
        final List<ProviderSpec> providers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            final JsonNode node = list.get(i);
            final List<String> exec = new ArrayList<>();
            if (node.has("exec")) {
                if (!node.get("exec").isArray()) {
                    throw new IllegalArgumentException("--providers-file: providers[" + i + "].exec must be an argument "
                            + "list (no shell string)");
                }
                node.get("exec").forEach(arg -> exec.add(arg.asText()));
            }
            final JsonNode tcp = node.path("tcp_rtt");
            final long period = node.path("period_seconds").asLong(30);
            try {
                providers.add(new ProviderSpec(required(node, "name", i), exec,
                        node.has("url") ? java.net.URI.create(node.get("url").asText()) : null,
                        tcp.isMissingNode() ? null : tcp.path("target").asText(),
                        tcp.path("variable").asText("pop_ping_latency_ms"), Duration.ofSeconds(period),
                        Duration.ofSeconds(node.path("stale_after_seconds").asLong(period * 3))));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("--providers-file: " + e.getMessage(), e);
            }
        }
        return providers;
    }

    private ConnectorSettings settings(final String id, final String token, final String docker,
                                       final TelemetrySettings telemetry) {
        return new ConnectorSettings(id, token, docker, pullImages, workDir.resolve(id),
                Duration.ofSeconds(heartbeatSeconds)).withTelemetry(telemetry);
    }

    private static String required(final JsonNode node, final String field, final int index) {
        final String value = node.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("--nodes-file: nodes[" + index + "]." + field + " is required");
        }
        return value;
    }

    private static String read(final Path tokenFile) {
        try {
            return Files.readString(tokenFile).strip();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the node token " + tokenFile, e);
        }
    }
}
