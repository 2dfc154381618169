package dev.arcturus.launcher.bus;

import dev.arcturus.bus.BusAccess;
import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.launcher.serve.EndpointOptions;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.topics.TopicBootstrap;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arcturus bus grant-producer <user>}: lets a stock Kafka client (Python, Node, Go, …) produce job requests as
 * that user, and only as that user — its own SCRAM login, its own topic {@code jobs.request.<user>} that only it may
 * write, and the job-command schema under that topic's subject so a Confluent serializer finds it without the right
 * to register. Admission stamps every command on the topic with the user it belongs to. Granting again gives a new
 * password. Runs as the operators' admin ({@code .arcturus/kafka-clients/arcturus-admin.properties}).
 */
@Command(name = "grant-producer", mixinStandardHelpOptions = true,
        description = "Let a stock Kafka client produce job requests as <user>, on its own topic.")
public final class GrantProducerCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<user>", description = "The user the client acts as (its gateway user id).")
    String user;

    @Option(names = "--kafka-clients-dir", defaultValue = ".arcturus/kafka-clients",
            description = "Where the admin's login is and the client's goes (default ${DEFAULT-VALUE}).")
    Path clientsDir;

    @Mixin
    EndpointOptions plane;

    @Override
    public Integer call() throws Exception {
        final String topic = BusAccess.requestTopic(user);
        if (BusPrincipal.all().stream().anyMatch(p -> p.name().equals(user)) || Set.of("admission", "placement")
                .contains(user)) {
            throw new IllegalArgumentException("user: '" + user + "' is a name of the plane itself");
        }
        final Path adminLogin = BusCredentials.fileOf(clientsDir, BusPrincipal.ADMIN);
        final KafkaClientSettings admin = Files.exists(adminLogin) ? KafkaClientSettings.fromFile(adminLogin)
                : KafkaClientSettings.fromEnvironment();
        final PlaneEndpoints asAdmin = plane.endpoints().as(admin);
        final String password = BusCredentials.newPassword();
        try (Admin client = Admin.create(asAdmin.clientProperties())) {
            new TopicBootstrap(client, (short) -1).ensureNewTopics(List.of(new NewTopic(topic,
                    TopicCatalog.JOB_COMMAND.partitions(), (short) -1).configs(TopicCatalog.JOB_COMMAND.configs())));
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(30, TimeUnit.SECONDS);
            client.createAcls(BusAccess.producerBindings(user)).all().get(30, TimeUnit.SECONDS);
        }
        asAdmin.registryClient().register(ConfluentWireFormat.valueSubject(topic),
                TopicCatalog.JOB_COMMAND.valueSchema());
        final Path login = clientsDir.resolve("producers").resolve(user + ".properties");
        Files.createDirectories(login.getParent());
        Files.setPosixFilePermissions(login.getParent(), PosixFilePermissions.fromString("rwx------"));
        BusCredentials.writeLogin(login, KafkaClientSettings.sasl("SCRAM-SHA-512", user, password));
        System.out.printf("%s may now produce job requests (JobCommand, schema subject %s) to %s as itself.%n"
                        + "Its login (secret, mode 0600): %s%n", user, ConfluentWireFormat.valueSubject(topic), topic,
                login.toAbsolutePath());
        return 0;
    }
}
