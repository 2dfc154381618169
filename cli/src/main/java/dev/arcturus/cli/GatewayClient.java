package dev.arcturus.cli;

import dev.arcturus.gateway.client.GatewayChannels;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the CLI's gateway is and who the CLI is. Each setting comes from its flag, else its environment variable,
 * else the config file ({@code $ARCTURUS_CLI_CONFIG}, default {@code ~/.config/arcturus/cli.properties}: keys
 * {@code gateway}, {@code token-file}, {@code ca-cert}), else the local plane started by {@code ./arcturus up}
 * ({@code 127.0.0.1:50051}, {@code .arcturus/admin-token}, {@code .arcturus/tls/gateway.crt}). A token is never
 * taken from a flag, where {@code ps} would show it.
 */
public final class GatewayClient {
    @Option(names = "--gateway", scope = ScopeType.INHERIT, description = "host:port of the gateway, or of several replicas: host1:port,host2:port (env ARCTURUS_GATEWAY).")
    String gateway;

    @Option(names = "--token-file", scope = ScopeType.INHERIT,
            description = "File holding the token (env ARCTURUS_TOKEN holds the token itself; ARCTURUS_TOKEN_FILE a file).")
    Path tokenFile;

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT,
            description = "PEM certificate to trust for the gateway's TLS (env ARCTURUS_CA_CERT).")
    Path caCert;

    @Option(names = "--plaintext", scope = ScopeType.INHERIT, description = "Connect without TLS (loopback tests only).")
    boolean plaintext;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of tables, for scripts.")
    boolean json;

    private ManagedChannel channel;
    private Properties configFile;

    public boolean json() {
        return json;
    }

    /** A blocking or async stub with this CLI's token attached. */
    public <S extends io.grpc.stub.AbstractStub<S>> S stub(final Function<ManagedChannel, S> factory) {
        return factory.apply(channel()).withCallCredentials(GatewayChannels.bearer(token()));
    }

    public synchronized ManagedChannel channel() {
        if (channel == null) {
            final String target = setting(gateway, "ARCTURUS_GATEWAY", "gateway").orElse("127.0.0.1:50051");
            channel = CliTransport.open(target, caCertificate(), plaintext);
        }
        return channel;
    }

    /**
     * A channel for an agent that holds streams for days over links that fail silently (satellite, cellular): it
     * pings the gateway every 30 s when idle and gives a connection 10 s to answer, so a dead link fails the stream
     * (and the agent reconnects) instead of hanging it. The gateway permits pings this often.
     */
    public ManagedChannel longLivedChannel() {
        final String target = setting(gateway, "ARCTURUS_GATEWAY", "gateway").orElse("127.0.0.1:50051");
        final ManagedChannel longLived = GatewayChannels.builder(target, caCertificate(), plaintext)
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS).keepAliveWithoutCalls(true)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(longLived::shutdownNow));
        return longLived;
    }

    private Optional<Path> caCertificate() {
        return setting(caCert == null ? null : caCert.toString(), "ARCTURUS_CA_CERT", "ca-cert").map(Path::of)
                .or(() -> Optional.of(Path.of(".arcturus", "tls", "gateway.crt")).filter(Files::isRegularFile));
    }

    private String token() {
        final String fromEnv = System.getenv("ARCTURUS_TOKEN");
        if (tokenFile == null && fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        final Path file = setting(tokenFile == null ? null : tokenFile.toString(), "ARCTURUS_TOKEN_FILE", "token-file")
                .map(Path::of).orElse(Path.of(".arcturus", "admin-token"));
        try {
            return Files.readString(file).strip();
        } catch (final IOException e) {
            throw new IllegalArgumentException("no token: set ARCTURUS_TOKEN, or --token-file / ARCTURUS_TOKEN_FILE (read "
                    + file + ": " + e.getMessage() + ")");
        }
    }

    private Optional<String> setting(final String flag, final String env, final String key) {
        if (flag != null && !flag.isBlank()) {
            return Optional.of(flag);
        }
        final String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv);
        }
        if (configFile == null) {
            configFile = readConfigFile();
        }
        return Optional.ofNullable(configFile.getProperty(key)).filter(v -> !v.isBlank());
    }

    private static Properties readConfigFile() {
        final String configured = System.getenv("ARCTURUS_CLI_CONFIG");
        final Path file = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".config", "arcturus", "cli.properties");
        final Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }
}
