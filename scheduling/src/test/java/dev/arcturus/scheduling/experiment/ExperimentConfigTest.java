package dev.arcturus.scheduling.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The container section as the gateway checks it at schedule time: image references, the nodes' policy, params. */
class ExperimentConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "arcturus/busybox:test", "registry.example.org:5000/leo/probe:1.2",
        "ghcr.io/org/image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void shouldAcceptImageReferences(final String image) {
        assertThat(ExperimentConfig.parse("docker:\n  image: " + image + "\n").image()).isEqualTo(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--privileged", "Upper/Case", "a b", "image:", "-x"})
    void shouldRefuseWhatIsNotAnImageReference(final String image) {
        assertThatThrownBy(() -> ExperimentConfig.parse("docker:\n  image: '" + image + "'\n"))
                .hasMessageStartingWith("config.docker.image: not an image reference");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "privileged: true|config.docker.privileged: not allowed by the nodes' policy",
        "cap_add: [NET_ADMIN]|config.docker.cap_add: not allowed",
        "volumes: ['/:/host']|config.docker.volumes: not allowed",
        "pid: host|config.docker.pid: not allowed",
        "devices: [/dev/net/tun]|config.docker.devices: not allowed",
        "imgae: typo|config.docker.imgae: unknown field"})
    void shouldRefuseWhatTheNodesPolicyDoesNotAllowNamingTheField(final String line, final String expected) {
        assertThatThrownBy(() -> ExperimentConfig.parse("docker:\n  image: x\n  " + line + "\n"))
                .hasMessageStartingWith(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"params: {mode: docker, deploy: '-', execute: '-', finish: '-'}"})
    void shouldCarryLeoScopesParams(final String params) {
        assertThat(ExperimentConfig.parse("docker:\n  image: x\n" + params + "\n").params())
                .containsEntry("mode", "docker").containsEntry("finish", "-").hasSize(4);
        assertThatThrownBy(() -> ExperimentConfig.parse("docker:\n  image: x\nparams: [docker]\n"))
                .hasMessageStartingWith("config.params: must be a map");
    }
}
