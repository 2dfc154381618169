package dev.arcturus.tools.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code arcturus gateway} replica in its own JVM, as an operator runs it: plaintext on loopback, no dashboard or
 * metrics port, its own run store in {@code <dir>/state-<name>}, the first admin's token (if it creates one) in
 * {@code <dir>/admin-token}. Returns once it serves, with the port it chose.
 */
public record GatewayReplica(ChildJvm jvm, int port) implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("Gateway serving on 127\\.0\\.0\\.1:(\\d+)");

    public static GatewayReplica launch(final String name, final Path dir, final String kafkaBootstrap,
                                        final String registryUrl, final Map<String, String> env) {
        final ChildJvm jvm = ChildJvm.launch("gateway-" + name, dir.resolve("gateway-" + name + ".log"), List.of(
                "gateway", "--kafka-bootstrap", kafkaBootstrap, "--schema-registry-url", registryUrl, "--plaintext",
                "--host", "127.0.0.1", "--port", "0", "--dashboard-port", "-1", "--metrics-port", "-1",
                "--admin-token-file", dir.resolve("admin-token").toString(),
                "--state-dir", dir.resolve("state-" + name).toString()), env)
                .awaitOutput("Ctrl-C stops.", Duration.ofMinutes(15));
        final Matcher serving = SERVING.matcher(jvm.output());
        if (!serving.find()) {
            jvm.close();
            throw new IllegalStateException("gateway " + name + " did not print its port");
        }
        return new GatewayReplica(jvm, Integer.parseInt(serving.group(1)));
    }

    @Override
    public void close() {
        jvm.close();
    }
}
