package dev.arcturus.tools.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder standing for a node's field link: {@link #cut} drops every open connection and refuses new ones
 * (the port is closed), as a satellite or cellular outage would look to the agent; {@link #restore} listens again on
 * the same port.
 */
final class TcpProxy implements AutoCloseable {
    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(final int targetPort) {
        this.target = targetPort;
        this.server = bind(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    int port() {
        return port;
    }

    /** The link goes away: open connections are reset, new ones refused. */
    synchronized void cut() {
        try {
            server.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** The link comes back on the same port. */
    synchronized void restore() {
        server = bind(port);
        accept(server);
    }

    private static ServerSocket bind(final int port) {
        try {
            final ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void accept(final ServerSocket listening) {
        daemon("proxy-accept", () -> {
            while (!listening.isClosed()) {
                try {
                    final Socket client = listening.accept();
                    final Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    daemon("proxy-up", () -> pump(client, upstream));
                    daemon("proxy-down", () -> pump(upstream, client));
                } catch (final IOException e) {
                    return; // closed by cut()
                }
            }
        });
    }

    private void pump(final Socket from, final Socket to) {
        final byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (final IOException e) {
            // either side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
