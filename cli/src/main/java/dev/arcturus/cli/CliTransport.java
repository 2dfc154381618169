package dev.arcturus.cli;

import dev.arcturus.gateway.client.GatewayChannels;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's one network thread, owned so it can be stopped before the process ends. Why: on JDK 17 the JVM's exit
 * waits up to 300 ms for any thread blocked in native code, and gRPC's shared event loop sits in {@code epoll_wait}
 * for a second after its channel closes — a third of every CLI call spent leaving.
 */
final class CliTransport {
    private static EventLoopGroup group;

    private CliTransport() {
    }

    static synchronized ManagedChannel open(final String target, final Optional<Path> caCertificate,
                                            final boolean plaintext) {
        final ManagedChannelBuilder<?> builder = GatewayChannels.builder(target, caCertificate, plaintext);
        if (builder instanceof NettyChannelBuilder netty) {
            if (group == null) {
                group = new NioEventLoopGroup(1);
            }
            netty.eventLoopGroup(group).channelType(NioSocketChannel.class);
        }
        return builder.build();
    }

    /** Stops the network thread (the channel's socket closes with it); waits at most a fraction of a second. */
    static synchronized void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(200);
            group = null;
        }
    }
}
