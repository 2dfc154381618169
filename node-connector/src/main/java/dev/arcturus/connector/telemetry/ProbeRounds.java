package dev.arcturus.connector.telemetry;

import dev.arcturus.gateway.api.v1.ProbeOutcome;
import dev.arcturus.gateway.api.v1.ProbeRound;
import dev.arcturus.gateway.api.v1.ProbeSample;
import dev.arcturus.gateway.client.Timestamps;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Probe rounds: for each target, several TCP connects in a row (the seed took one and truncated it to whole
 * milliseconds), each recorded with its outcome and its handshake time in microseconds. Targets are probed in
 * parallel on {@code pool}; a round takes about samples × RTT per target, at most samples × timeout.
 */
public final class ProbeRounds {
    /** What to probe: a peer node (nodeId set) or a domain's origin (domain set). */
    public record Target(String nodeId, String domain, String ip, int port, String region) {
    }

    private final int samples;
    private final Duration timeout;
    private final ExecutorService pool;

    public ProbeRounds(final int samples, final Duration timeout, final ExecutorService pool) {
        if (samples < 1 || samples > 20) {
            throw new IllegalArgumentException("samples per target: 1 to 20, was " + samples);
        }
        this.samples = samples;
        this.timeout = timeout;
        this.pool = pool;
    }

    public List<ProbeRound> probe(final List<Target> targets, final Instant startedAt) throws InterruptedException {
        final List<Future<ProbeRound>> rounds = new ArrayList<>(targets.size());
        for (final Target target : targets) {
            rounds.add(pool.submit(() -> round(target, startedAt)));
        }
        final List<ProbeRound> done = new ArrayList<>(targets.size());
        for (final Future<ProbeRound> round : rounds) {
            try {
                done.add(round.get());
            } catch (final ExecutionException e) {
                throw new IllegalStateException("probe round failed", e.getCause());
            }
        }
        return done;
    }

    private ProbeRound round(final Target target, final Instant startedAt) {
        final ProbeRound.Builder round = ProbeRound.newBuilder().setTargetIp(target.ip()).setTargetPort(target.port())
                .setProbeTime(Timestamps.of(startedAt));
        if (target.nodeId() != null) {
            round.setTargetNodeId(target.nodeId());
        } else {
            round.setTargetDomain(target.domain());
        }
        for (int i = 0; i < samples; i++) {
            round.addSamples(connect(target.ip(), target.port()));
        }
        return round.build();
    }

    /** One TCP handshake; the socket is closed at once (no payload), and how the peer closes does not matter. */
    ProbeSample connect(final String ip, final int port) {
        final Socket socket = new Socket();
        try {
            final long start = System.nanoTime();
            socket.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
            return ProbeSample.newBuilder().setOutcome(ProbeOutcome.CONNECTED)
                    .setRttMicros(Math.max(1, (System.nanoTime() - start) / 1_000)).build();
        } catch (final SocketTimeoutException e) {
            return lost(ProbeOutcome.TIMEOUT);
        } catch (final ConnectException e) {
            return lost(ProbeOutcome.REFUSED);
        } catch (final IOException | IllegalArgumentException e) {
            return lost(ProbeOutcome.UNREACHABLE);
        } finally {
            try {
                socket.close();
            } catch (final IOException e) {
                // the handshake is what was measured; a failed close changes nothing
            }
        }
    }

    private static ProbeSample lost(final ProbeOutcome outcome) {
        return ProbeSample.newBuilder().setOutcome(outcome).build();
    }

    /** Mean handshake time of the connected samples in milliseconds, or -1 if none connected. */
    public static double meanMillis(final ProbeRound round) {
        return round.getSamplesList().stream().filter(s -> s.getOutcome() == ProbeOutcome.CONNECTED)
                .mapToLong(ProbeSample::getRttMicros).average().orElse(-1000) / 1000.0;
    }
}
