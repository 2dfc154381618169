package dev.arcturus.launcher.serve;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.OperatorValuesApplier;
import dev.arcturus.scheduling.operator.OperatorValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --values FILE} (repeatable): seed 000's scheduling-config.yaml, node-discovery.yaml and routing-policy.yaml,
 * the same files the Helm chart takes with {@code --values}. Read and checked before anything starts.
 */
public final class OperatorValuesOptions {
    @Option(names = "--values", paramLabel = "FILE",
            description = "scheduling-config.yaml, node-discovery.yaml or routing-policy.yaml (seed 000's files, as "
                    + "`helm install --values` takes them); repeatable, later files override earlier ones. Examples "
                    + "in ops/config/.")
    List<Path> files = new ArrayList<>();

    private OperatorValues read;

    /** The files' values (checked once; an unknown key fails with the file and key named). */
    public OperatorValues values() {
        if (read == null) {
            read = OperatorValues.read(files);
        }
        return read;
    }

    /** The gateway's settings as scheduling-config.yaml says (its deadline and run history window). */
    public GatewaySettings gatewaySettings(final GatewaySettings settings) {
        GatewaySettings adjusted = settings;
        if (values().decisionDeadline().isPresent()) {
            adjusted = new GatewaySettings(adjusted.host(), adjusted.port(), adjusted.tls(),
                    values().decisionDeadline().get(), adjusted.adminTokenFile(), adjusted.artifactStorage(),
                    adjusted.dashboardPort(), adjusted.runHistory());
        }
        if (values().runHotWindowDays().isPresent()) {
            adjusted = adjusted.withRunHistory(adjusted.runHistory().withHotWindow(
                    Duration.ofDays(values().runHotWindowDays().get())));
        }
        return adjusted;
    }

    /** Applies the routing policy and registers the listed nodes; a line for the operator, or empty if no files. */
    public String applyTo(final Gateway gateway) {
        if (files.isEmpty()) {
            return "";
        }
        final OperatorValuesApplier.Applied applied = gateway.apply(values());
        return String.format("%s: routing %d setting(s) changed; nodes %d registered, %d already registered",
                files.stream().map(f -> f.getFileName().toString()).toList(), applied.settingsChanged(),
                applied.registered().size(), applied.alreadyRegistered().size());
    }
}
