package dev.arcturus.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials are generated once, kept owner-only, read back unchanged, and never printed. */
class BusCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void shouldGenerateOnceKeepOwnerOnlyAndReadBackTheSamePasswords() throws Exception {
        final Path clients = dir.resolve("kafka-clients");
        final BusCredentials first = BusCredentials.loadOrCreate(clients);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clients))).isEqualTo("rwx------");
        for (final BusPrincipal principal : BusPrincipal.all()) {
            final Path file = BusCredentials.fileOf(clients, principal);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(first.password(principal)).hasSizeGreaterThanOrEqualTo(43); // 256 bits, base64url
        }
        assertThat(first.clientSettings(BusPrincipal.GATEWAY).settings()).containsEntry("sasl.mechanism",
                "SCRAM-SHA-512");
        assertThat(first.clientSettings(BusPrincipal.ADMIN).settings()).containsEntry("sasl.mechanism", "PLAIN");

        final BusCredentials again = BusCredentials.loadOrCreate(clients);
        BusPrincipal.all().forEach(p -> assertThat(again.password(p)).isEqualTo(first.password(p)));
        assertThat(first.password(BusPrincipal.GATEWAY)).isNotEqualTo(first.password(BusPrincipal.REGISTRY));
        assertThat(first.toString()).doesNotContain(first.password(BusPrincipal.ADMIN));
        assertThat(first.clientSettings(BusPrincipal.GATEWAY).toString())
                .doesNotContain(first.password(BusPrincipal.GATEWAY));
        // The registry signs the same principal in with the same password.
        assertThat(first.clientSettings(BusPrincipal.GATEWAY).registryUserInfo())
                .contains("arcturus-gateway:" + first.password(BusPrincipal.GATEWAY));
    }
}
