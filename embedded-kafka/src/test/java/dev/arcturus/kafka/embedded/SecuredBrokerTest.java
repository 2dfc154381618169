package dev.arcturus.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A secured broker takes only authenticated clients and lets them do only what an ACL allows: an anonymous client
 * cannot even connect, a wrong password is refused, a SCRAM user without ACLs may do nothing, and the super user
 * everything.
 */
class SecuredBrokerTest {
    private static final EmbeddedKafkaBroker.SuperUser ADMIN = new EmbeddedKafkaBroker.SuperUser("test-admin",
            "admin-secret-0123456789abcdef");
    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.throwaway().secured(ADMIN).start(Duration.ofSeconds(90));
        admin = Admin.create(client(broker.superUserClientSettings()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldRefuseAnAnonymousClient() {
        try (Admin anonymous = Admin.create(client(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000)))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAndAllowOnlyWhatAnAclGrants() throws Exception {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "alice-password"))).all()
                .get(30, TimeUnit.SECONDS);
        admin.createTopics(List.of(new NewTopic("granted", 1, (short) 1), new NewTopic("forbidden", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "granted", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                .all().get(30, TimeUnit.SECONDS);

        try (Admin wrong = Admin.create(client(scram("alice", "not-her-password")))) {
            assertThatThrownBy(() -> wrong.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin alice = Admin.create(client(scram("alice", "alice-password")))) {
            // SCRAM credentials take a moment to reach the broker's cache from the metadata log.
            final Set<String> visible = Awaitility.await().atMost(Duration.ofSeconds(30))
                    .ignoreException(ExecutionException.class)
                    .until(() -> alice.listTopics().names().get(30, TimeUnit.SECONDS), names -> !names.isEmpty());
            assertThat(visible).containsExactly("granted");
            assertThatThrownBy(() -> alice.deleteTopics(List.of("forbidden")).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("granted", "forbidden");
    }

    private static Map<String, Object> scram(final String user, final String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    private static Map<String, Object> client(final Map<String, Object> settings) {
        final Map<String, Object> config = new HashMap<>(settings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return config;
    }
}
