package dev.arcturus.gateway.api;

import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.api.v1.GetConfigRequest;
import dev.arcturus.gateway.api.v1.UpdateConfigRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;

/** Global configuration (config.proto). It holds no secrets, so every role may read it. */
public final class ConfigApi extends ConfigServiceGrpc.ConfigServiceImplBase {
    static final String KEY = "global";
    private static final int MAX_SETTINGS = 200;

    private final Plane plane;

    public ConfigApi(final Plane plane) {
        this.plane = plane;
    }

    @Override
    public void getConfig(final GetConfigRequest request,
                          final StreamObserver<dev.arcturus.gateway.api.v1.GlobalConfig> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            return Protos.config(plane.config());
        });
    }

    @Override
    public void updateConfig(final UpdateConfigRequest request,
                             final StreamObserver<dev.arcturus.gateway.api.v1.GlobalConfig> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            final GlobalConfig config = plane.config();
            if (!request.getArtifactContainer().isEmpty()) {
                config.setArtifactContainer(container(request.getArtifactContainer()));
            }
            if (!request.getArtifactPathPrefix().isEmpty()) {
                config.setArtifactPathPrefix(Requests.optionalText("artifact_path_prefix", request.getArtifactPathPrefix()));
            }
            if (request.getArtifactLinkValiditySeconds() < 0) {
                throw Requests.invalid("artifact_link_validity_seconds", "must be >= 0 (0: unchanged)");
            }
            if (request.getArtifactLinkValiditySeconds() > 0) {
                config.setArtifactLinkValiditySeconds(request.getArtifactLinkValiditySeconds());
            }
            final Map<String, String> settings = new HashMap<>(config.getSettings());
            request.getSetSettingsMap().forEach((key, value) -> settings.put(
                    Requests.requireText("set_settings key", key), Requests.requireText("set_settings[" + key + "]", value)));
            request.getRemoveSettingsList().forEach(settings::remove);
            if (settings.size() > MAX_SETTINGS) {
                throw Requests.invalid("set_settings", "at most " + MAX_SETTINGS + " settings");
            }
            config.setSettings(settings);
            config.setVersion(config.getVersion() + 1);
            config.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
            plane.writer().write(TopicCatalog.GLOBAL_CONFIG, KEY, config);
            return Protos.config(config);
        });
    }

    /** Azure container names: 3-63 of lower-case letters, digits and single hyphens. */
    private static String container(final String name) {
        if (!name.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
            throw Requests.invalid("artifact_container", "'" + Requests.abbreviate(name)
                    + "' is not a valid blob container name (3-63 of a-z, 0-9 and single hyphens)");
        }
        return name;
    }
}
