package dev.arcturus.gateway.client;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Several gateway replicas named by the client: {@code host1:port,host2:port}. The channel keeps to one replica
 * (gRPC's {@code pick_first}, so a client reads its own writes from the replica that took them) and moves to the next
 * when that one goes away. Each address is resolved again on every reconnection and keeps its own host name as TLS
 * authority, so one certificate per replica (or one naming them all) works. A single {@code host:port} or any
 * {@code scheme:///} target is left to gRPC's own resolvers (DNS may equally return several replicas).
 */
public final class GatewayList {
    static final String SCHEME = "arcturus-gateways";

    static {
        NameResolverRegistry.getDefaultRegistry().register(new Provider());
    }

    private GatewayList() {
    }

    /** The channel target for {@code target}: a comma-separated list becomes this resolver's URI. */
    public static String target(final String target) {
        if (!target.contains(",")) {
            return target;
        }
        for (final String address : target.split(",")) {
            hostAndPort(address.strip()); // refuse a malformed entry now, naming it
        }
        return SCHEME + ":///" + target.replace(" ", "");
    }

    /** Splits {@code host:port} ({@code [v6]:port} too); refuses anything else, naming it. */
    static InetSocketAddress hostAndPort(final String address) {
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("gateway address '" + address + "' is not host:port");
        }
        final String host = address.substring(0, colon).replace("[", "").replace("]", "");
        try {
            final int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(host, port);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("gateway address '" + address + "' has no valid port");
        }
    }

    private static final class Provider extends NameResolverProvider {
        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        public NameResolver newNameResolver(final URI uri, final NameResolver.Args args) {
            if (!SCHEME.equals(uri.getScheme())) {
                return null;
            }
            final List<InetSocketAddress> addresses = new ArrayList<>();
            for (final String address : uri.getPath().substring(1).split(",")) {
                addresses.add(hostAndPort(address));
            }
            return new Resolver(addresses);
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }
    }

    private static final class Resolver extends NameResolver {
        private final List<InetSocketAddress> addresses;
        private Listener2 listener;

        Resolver(final List<InetSocketAddress> addresses) {
            this.addresses = addresses;
        }

        @Override
        public String getServiceAuthority() {
            final InetSocketAddress first = addresses.get(0);
            return first.getHostString() + ":" + first.getPort();
        }

        @Override
        public void start(final Listener2 listener) {
            this.listener = listener;
            resolve();
        }

        @Override
        public void refresh() {
            resolve();
        }

        /** Every address that resolves now, in the order given; an error only if none does. */
        private void resolve() {
            final List<EquivalentAddressGroup> groups = new ArrayList<>();
            final List<String> unresolved = new ArrayList<>();
            for (final InetSocketAddress address : addresses) {
                try {
                    final InetAddress ip = InetAddress.getByName(address.getHostString());
                    groups.add(new EquivalentAddressGroup(new InetSocketAddress(ip, address.getPort()),
                            Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE,
                                    address.getHostString() + ":" + address.getPort()).build()));
                } catch (final UnknownHostException e) {
                    unresolved.add(address.getHostString());
                }
            }
            if (groups.isEmpty()) {
                listener.onError(Status.UNAVAILABLE.withDescription("no gateway address resolves: " + unresolved));
                return;
            }
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }

        @Override
        public void shutdown() {
        }
    }
}
