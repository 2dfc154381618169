package dev.arcturus.connector.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the host's address on a bridge is found from what the engine reports, without an engine. */
class BridgeGatewayTest {
    private static final String ID = "06d96f66187808aade520e43858f740ef232ce0f36a920ccafbecac1b8e0cd69";
    private static final BridgeGateway.InterfaceAddresses NO_INTERFACES = name -> Optional.empty();

    @Test
    void shouldTakeTheGatewayTheEngineReports() {
        assertThat(BridgeGateway.resolve(ID, Map.of(), List.of(new BridgeGateway.Pool("172.31.250.0/24",
                "172.31.250.1")), name -> Optional.of("192.0.2.9"))).isEqualTo("172.31.250.1");
    }

    @Test
    void shouldTakeTheDefaultBridgeInterfaceAddressWhenTheEngineReportsOnlyASubnet() {
        // Debian's docker.io 20.10: {"Config":[{"Subnet":"172.17.0.0/16"}]}, the address lives on docker0.
        final Map<String, String> options = Map.of(BridgeGateway.BRIDGE_NAME_OPTION, "docker0");
        final BridgeGateway.InterfaceAddresses host =
                name -> name.equals("docker0") ? Optional.of("172.17.42.1") : Optional.empty();
        assertThat(BridgeGateway.resolve(ID, options, List.of(new BridgeGateway.Pool("172.17.0.0/16", null)), host))
                .isEqualTo("172.17.42.1");
    }

    @Test
    void shouldNameAUserDefinedBridgeAfterTheFirstTwelveCharactersOfItsId() {
        final BridgeGateway.InterfaceAddresses host =
                name -> name.equals("br-06d96f661878") ? Optional.of("172.31.251.1") : Optional.empty();
        assertThat(BridgeGateway.resolve(ID, Map.of(), List.of(new BridgeGateway.Pool("172.31.251.0/24", "")), host))
                .isEqualTo("172.31.251.1");
    }

    @Test
    void shouldFallBackToTheSubnetsFirstHostWhenNoInterfaceCarriesAnAddress() {
        assertThat(BridgeGateway.resolve(ID, null, List.of(new BridgeGateway.Pool("fd00:1::/64", null),
                new BridgeGateway.Pool("172.17.5.0/16", null)), NO_INTERFACES)).isEqualTo("172.17.0.1");
        assertThat(BridgeGateway.firstHost("10.1.2.128/25")).isEqualTo("10.1.2.129");
    }

    @Test
    void shouldSkipAnIpv6GatewayForAnIpv4One() {
        assertThat(BridgeGateway.resolve(ID, Map.of(), List.of(new BridgeGateway.Pool("fd00:1::/64", "fd00:1::1"),
                new BridgeGateway.Pool("172.20.0.0/16", "172.20.0.1")), NO_INTERFACES)).isEqualTo("172.20.0.1");
    }

    @Test
    void shouldSayWhatWasMissingWhenNothingGivesAnAddress() {
        assertThatThrownBy(() -> BridgeGateway.resolve(ID, Map.of(), List.of(), NO_INTERFACES))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("br-06d96f661878")
                .hasMessageContaining("no IPv4 gateway");
    }
}
