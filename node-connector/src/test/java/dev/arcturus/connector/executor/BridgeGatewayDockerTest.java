package dev.arcturus.connector.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.arcturus.testing.TestServices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host's address on real bridge networks of the test {@code dockerd}: one created with {@code --gateway} (the
 * engine reports it) and one created with only {@code --subnet} (the engine reports no gateway, as Debian's 20.10
 * does for the default bridge; the address is on the {@code br-…} interface), and the default bridge itself.
 */
class BridgeGatewayDockerTest {
    private static DockerClient docker;
    private static DockerExecutor executor;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void connect() {
        final String host = TestServices.require("ARCTURUS_TEST_DOCKER_HOST");
        final DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).build();
        docker = DockerClientImpl.getInstance(config,
                new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
        executor = DockerExecutor.connect(host, false);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        for (final String id : created) {
            docker.removeNetworkCmd(id).exec();
        }
        docker.close();
        executor.close();
    }

    @Test
    void shouldFindTheGatewayOfABridgeCreatedWithOne() {
        final String[] subnet = new String[1];
        final String id = createBridge(octet -> {
            subnet[0] = "172.29." + octet + ".0/24";
            return new Network.Ipam.Config().withSubnet(subnet[0]).withGateway("172.29." + octet + ".254");
        });
        final String reported = docker.inspectNetworkCmd().withNetworkId(id).exec().getIpam().getConfig().get(0)
                .getGateway();
        assertThat(reported).as("the engine reports the gateway it was given").endsWith(".254");
        assertThat(executor.bridgeGateway(id)).isEqualTo(reported);
    }

    @Test
    void shouldFindTheBridgeInterfaceAddressOfABridgeCreatedWithoutOne() {
        final String[] subnet = new String[1];
        final String id = createBridge(octet -> {
            subnet[0] = "172.28." + octet + ".0/24";
            return new Network.Ipam.Config().withSubnet(subnet[0]);
        });
        final Network inspected = docker.inspectNetworkCmd().withNetworkId(id).exec();
        final String prefix = subnet[0].substring(0, subnet[0].lastIndexOf('.') + 1);
        final String onInterface = BridgeGateway.hostInterfaceIpv4(BridgeGateway.bridgeInterface(id,
                inspected.getOptions())).orElseThrow();
        assertThat(onInterface).startsWith(prefix);
        assertThat(executor.bridgeGateway(id)).isEqualTo(onInterface);
    }

    @Test
    void shouldFindTheDefaultBridgeAddressWhateverTheEngineReports() {
        final Network bridge = docker.inspectNetworkCmd().withNetworkId("bridge").exec();
        final String expected = BridgeGateway.hostInterfaceIpv4(BridgeGateway.bridgeInterface(bridge.getId(),
                bridge.getOptions())).orElseThrow();
        assertThat(executor.bridgeGateway()).isEqualTo(expected);
    }

    /** A bridge on a free /24 (another test host may hold the first one tried). */
    private static String createBridge(final java.util.function.IntFunction<Network.Ipam.Config> pool) {
        DockerException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            final int octet = ThreadLocalRandom.current().nextInt(1, 250);
            try {
                final String id = docker.createNetworkCmd().withName("arcturus-test-bridge-" + octet + "-" + attempt)
                        .withDriver("bridge").withIpam(new Network.Ipam().withConfig(pool.apply(octet))).exec()
                        .getId();
                created.add(id);
                return id;
            } catch (final DockerException e) {
                last = e; // the subnet overlaps one in use: try another
            }
        }
        throw new IllegalStateException("no free test subnet", last);
    }
}
