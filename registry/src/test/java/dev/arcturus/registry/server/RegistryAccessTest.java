package dev.arcturus.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Who the registry lets read and write: signed-in principals read, only writers write, nobody else at all. */
class RegistryAccessTest {
    private final BusCredentials credentials = BusCredentials.generate();
    private final RegistryAccess access = RegistryAccess.signedIn(credentials, false);

    @Test
    void shouldLetAWriterRegisterAndASinkOnlyRead() {
        assertThat(access.check(true, "POST /subjects/s/versions", basic(BusPrincipal.GATEWAY)))
                .contains(BusPrincipal.GATEWAY.name());
        assertThat(access.check(true, "PUT /config", basic(BusPrincipal.ADMISSION)))
                .contains(BusPrincipal.ADMISSION.name());
        assertThat(access.check(false, "GET /subjects", basic(BusPrincipal.SINK_MYSQL)))
                .contains(BusPrincipal.SINK_MYSQL.name());
        assertThatThrownBy(() -> access.check(true, "PUT /config", basic(BusPrincipal.SINK_MYSQL)))
                .isInstanceOfSatisfying(RegistryError.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.errorCode()).isEqualTo(40301);
                    assertThat(e.getMessage()).contains("arcturus-sink-mysql").contains("PUT /config");
                });
    }

    @Test
    void shouldRefuseAnonymousCallersAndWrongPasswords() {
        assertThatThrownBy(() -> access.check(false, "GET /subjects", null))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(40101));
        assertThatThrownBy(() -> access.check(true, "POST /subjects/s/versions", header("arcturus-gateway:guess")))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        assertThatThrownBy(() -> access.check(false, "GET /subjects", header("nobody:" + credentials.password(
                BusPrincipal.GATEWAY)))).isInstanceOf(RegistryError.class);
        assertThatThrownBy(() -> access.check(false, "GET /subjects", "Basic not-base64!"))
                .isInstanceOf(RegistryError.class);
    }

    @Test
    void shouldOpenOnlyReadsToAnonymousCallersWhenAskedTo() {
        final RegistryAccess development = RegistryAccess.signedIn(credentials, true);
        assertThat(development.check(false, "GET /subjects", null)).isEmpty();
        assertThatThrownBy(() -> development.check(true, "POST /subjects/s/versions", null))
                .isInstanceOfSatisfying(RegistryError.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }

    private String basic(final BusPrincipal principal) {
        return header(principal.name() + ":" + credentials.password(principal));
    }

    private static String header(final String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
