package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.api.v1.GetConfigRequest;
import dev.arcturus.gateway.api.v1.GlobalConfig;
import dev.arcturus.gateway.api.v1.UpdateConfigRequest;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus config get|update}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Plane-wide settings (no secrets).")
public final class ConfigCommand {
    @Mixin
    GatewayClient gateway;

    @Command(name = "get", description = "Show the global config.")
    int get() {
        return print(gateway.stub(ConfigServiceGrpc::newBlockingStub).getConfig(GetConfigRequest.getDefaultInstance()));
    }

    @Command(name = "update", description = "Change the global config (ADMIN), e.g. --set routing.k=3.")
    int update(@Option(names = "--artifact-container", defaultValue = "") final String container,
               @Option(names = "--artifact-path", defaultValue = "") final String path,
               @Option(names = "--artifact-link-validity-seconds", defaultValue = "0") final long validity,
               @Option(names = "--set", description = "key=value (repeatable)") final Map<String, String> set,
               @Option(names = "--remove", description = "key (repeatable)") final List<String> remove) {
        return print(gateway.stub(ConfigServiceGrpc::newBlockingStub).updateConfig(UpdateConfigRequest.newBuilder()
                .setArtifactContainer(container).setArtifactPathPrefix(path).setArtifactLinkValiditySeconds(validity)
                .putAllSetSettings(set == null ? Map.of() : set).addAllRemoveSettings(remove == null ? List.of() : remove)
                .build()));
    }

    private int print(final GlobalConfig config) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(config);
        } else {
            out.text("version " + config.getVersion());
            out.text("artifacts: container " + config.getArtifactContainer() + ", path " + config.getArtifactPathPrefix()
                    + ", links valid " + config.getArtifactLinkValiditySeconds() + " s");
            new java.util.TreeMap<>(config.getSettingsMap()).forEach((k, v) -> out.text(k + " = " + v));
        }
        return ExitCodes.OK;
    }
}
