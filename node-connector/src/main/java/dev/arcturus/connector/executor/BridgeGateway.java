package dev.arcturus.connector.executor;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's address on a Docker bridge network, found the way Docker itself finds it: the IPAM gateway when the
 * engine reports one, else the IPv4 address of the bridge interface on the host, else the first host of the subnet
 * (the address Docker gives a bridge it creates).
 *
 * <p>Why all three: Debian's {@code docker.io} 20.10 reports the default bridge with a subnet but no gateway (the
 * address lives only on {@code docker0}), and so does any network created with {@code --subnet} but no
 * {@code --gateway}; newer engines report the gateway field.
 */
public final class BridgeGateway {
    /** The engine's option naming the bridge interface (set on the default bridge, {@code docker0}). */
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    /** One IPAM pool of the network as the engine reports it; either field may be null or empty. */
    public record Pool(String subnet, String gateway) {
    }

    /** Looks up the IPv4 address of a host interface by name; empty when there is no such interface. */
    @FunctionalInterface
    public interface InterfaceAddresses {
        Optional<String> ipv4Of(String interfaceName);
    }

    private BridgeGateway() {
    }

    /**
     * @param networkId the network's full id (user-defined bridges are named {@code br-} and its first 12 characters)
     * @param options   the network's driver options
     * @param pools     the network's IPAM pools
     * @throws IllegalStateException when no IPv4 pool or interface gives an address
     */
    public static String resolve(final String networkId, final Map<String, String> options, final List<Pool> pools,
                                 final InterfaceAddresses host) {
        for (final Pool pool : pools) {
            if (isIpv4(pool.gateway())) {
                return pool.gateway();
            }
        }
        final String bridge = bridgeInterface(networkId, options);
        final Optional<String> onInterface = host.ipv4Of(bridge);
        if (onInterface.isPresent()) {
            return onInterface.get();
        }
        for (final Pool pool : pools) {
            if (pool.subnet() != null && pool.subnet().contains("/") && isIpv4(pool.subnet().split("/")[0])) {
                return firstHost(pool.subnet());
            }
        }
        throw new IllegalStateException("Docker network " + networkId + " has no IPv4 gateway, no address on its "
                + "bridge interface " + bridge + " and no IPv4 subnet " + pools);
    }

    /** The host interface of a bridge network: the engine's bridge-name option, else {@code br-<id[0:12]>}. */
    static String bridgeInterface(final String networkId, final Map<String, String> options) {
        final String named = options == null ? null : options.get(BRIDGE_NAME_OPTION);
        if (named != null && !named.isBlank()) {
            return named;
        }
        return "br-" + networkId.substring(0, Math.min(12, networkId.length()));
    }

    /** The subnet's network address plus one, e.g. 172.17.0.1 for 172.17.0.0/16. */
    static String firstHost(final String cidr) {
        final String[] parts = cidr.split("/");
        final int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > 30) {
            throw new IllegalStateException("subnet " + cidr + " has no host addresses");
        }
        final int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        final int network = toInt(parts[0]) & mask;
        return toDotted(network + 1);
    }

    /** The host's real interfaces, through {@link NetworkInterface}. */
    public static Optional<String> hostInterfaceIpv4(final String interfaceName) {
        try {
            final NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                return Optional.empty();
            }
            return nic.inetAddresses().filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress)
                    .findFirst();
        } catch (final SocketException e) {
            return Optional.empty(); // an unreadable interface is as good as none: fall through to the subnet
        }
    }

    private static boolean isIpv4(final String address) {
        if (address == null || address.isBlank() || !address.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address) instanceof Inet4Address;
        } catch (final UnknownHostException e) {
            return false;
        }
    }

    private static int toInt(final String dotted) {
        int value = 0;
        for (final String octet : dotted.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static String toDotted(final int value) {
        return ((value >>> 24) & 0xff) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "."
                + (value & 0xff);
    }
}
