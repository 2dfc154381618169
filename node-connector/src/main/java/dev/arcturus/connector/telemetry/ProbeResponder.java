package dev.arcturus.connector.telemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port peers probe: accepts TCP connections and closes them at once, so a peer's connect measures the network
 * handshake and nothing else. Reads nothing, answers nothing.
 */
public final class ProbeResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeResponder.class);

    private final ServerSocket socket;
    private final Thread acceptor;

    private ProbeResponder(final ServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(this::acceptLoop, "probe-responder-" + socket.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Listens on {@code port} (0: any free port) on all addresses. */
    public static ProbeResponder listen(final int port) throws IOException {
        final ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port), 512);
        return new ProbeResponder(socket);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket peer = socket.accept()) {
                peer.shutdownOutput(); // nothing to say: close at once
            } catch (final IOException e) {
                if (!socket.isClosed()) {
                    log.debug("Probe responder: accept failed", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
