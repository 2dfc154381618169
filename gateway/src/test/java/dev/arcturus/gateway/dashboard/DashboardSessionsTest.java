package dev.arcturus.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.UserRole;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.auth.PrincipalDirectory;
import dev.arcturus.gateway.auth.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
    /** Users by token hash, as the gateway's view holds them; tests rotate and demote by editing it. */
    private final Map<String, Principal> users = new ConcurrentHashMap<>();
    private final PrincipalDirectory directory = hash -> Optional.ofNullable(users.get(hash));
    private Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final DashboardSessions sessions = new DashboardSessions(directory, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void opensASessionOnlyForACurrentAdminToken() {
        final String admin = Tokens.issue();
        final String user = Tokens.issue();
        users.put(Tokens.hash(admin), new Principal("root", UserRole.ADMIN));
        users.put(Tokens.hash(user), new Principal("alice", UserRole.USER));

        assertThat(sessions.open(user)).as("a USER token").isEmpty();
        assertThat(sessions.open(Tokens.issue())).as("an unknown token").isEmpty();
        assertThat(sessions.open("")).isEmpty();
        assertThat(sessions.open(null)).isEmpty();
        final String session = sessions.open(admin + "\n").orElseThrow();
        assertThat(session).doesNotContain(admin).hasSizeGreaterThanOrEqualTo(43);
        assertThat(sessions.principal(session)).map(Principal::id).contains("root");
        assertThat(sessions.principal(session + "x")).isEmpty();
        assertThat(sessions.principal(null)).isEmpty();
    }

    @Test
    void endsTheSessionWhenTheTokenIsRotatedTheUserDemotedOrTimeRunsOut() {
        final String admin = Tokens.issue();
        users.put(Tokens.hash(admin), new Principal("root", UserRole.ADMIN));
        final String rotated = sessions.open(admin).orElseThrow();
        users.remove(Tokens.hash(admin));
        assertThat(sessions.principal(rotated)).as("token rotated away").isEmpty();

        final String again = Tokens.issue();
        users.put(Tokens.hash(again), new Principal("root", UserRole.ADMIN));
        final String demoted = sessions.open(again).orElseThrow();
        users.put(Tokens.hash(again), new Principal("root", UserRole.USER));
        assertThat(sessions.principal(demoted)).as("no longer ADMIN").isEmpty();
        users.put(Tokens.hash(again), new Principal("root", UserRole.ADMIN));
        assertThat(sessions.principal(demoted)).as("a refused session stays closed").isEmpty();

        final String expiring = sessions.open(again).orElseThrow();
        now = now.plus(DashboardSessions.MAX_AGE).minus(Duration.ofSeconds(1));
        assertThat(sessions.principal(expiring)).isPresent();
        now = now.plus(Duration.ofSeconds(1));
        assertThat(sessions.principal(expiring)).as("expired").isEmpty();

        final String signedOut = sessions.open(again).orElseThrow();
        sessions.close(signedOut);
        assertThat(sessions.principal(signedOut)).isEmpty();
    }
}
