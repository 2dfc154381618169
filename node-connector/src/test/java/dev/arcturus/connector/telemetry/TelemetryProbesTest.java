package dev.arcturus.connector.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.gateway.api.v1.ProbeOutcome;
import dev.arcturus.gateway.api.v1.ProbeRound;
import dev.arcturus.gateway.api.v1.SystemInfo;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** System info from this machine (OSHI) and probe rounds over real sockets. */
class TelemetryProbesTest {
    @TempDir
    Path work;

    @Test
    void systemInfoFillsEveryColumnFromThisMachine() throws Exception {
        final SystemInfoSampler sampler = new SystemInfoSampler(work);
        final SystemInfo info = sampler.sample("node-1", "127.0.0.1", Instant.now());
        assertThat(info.getLogicalCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.getCpuCores()).isBetween(1, info.getLogicalCores());
        assertThat(info.getCpuModelName()).isNotBlank();
        assertThat(info.getCpuUsage()).isBetween(0.0, 100.0);
        assertThat(info.getMemoryTotal()).isPositive();
        assertThat(info.getMemoryUsed() + info.getMemoryAvailable()).isEqualTo(info.getMemoryTotal());
        assertThat(info.getDiskTotal()).isPositive();
        assertThat(info.getDiskUsed() + info.getDiskFree()).isEqualTo(info.getDiskTotal());
        assertThat(info.getDiskDevice()).isNotBlank();
        assertThat(info.getNetworkInterfaceName()).isNotBlank();
        assertThat(info.getHostname()).isNotBlank();
        assertThat(info.getOs()).isEqualTo("linux");
        assertThat(info.getPlatform()).isNotBlank();
        assertThat(info.getUptimeSeconds()).isPositive();
        assertThat(info.getLoad1()).isGreaterThanOrEqualTo(0);
        assertThat(info.hasTimestamp()).isTrue();
    }

    @Test
    void aRoundTakesEverySampleWithItsOutcomeAndMicroseconds() throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ProbeResponder responder = ProbeResponder.listen(0)) {
            final int closed;
            try (ServerSocket spare = new ServerSocket(0)) {
                closed = spare.getLocalPort(); // free again once closed: nothing listens there
            }
            final ProbeRounds rounds = new ProbeRounds(5, Duration.ofMillis(300), pool);
            final List<ProbeRound> done = rounds.probe(List.of(
                    new ProbeRounds.Target("peer", null, "127.0.0.1", responder.port(), "EU"),
                    new ProbeRounds.Target("gone", null, "127.0.0.1", closed, "EU"),
                    new ProbeRounds.Target(null, "example.com", "192.0.2.1", 80, "")), Instant.now());

            assertThat(done.get(0).getSamplesList()).hasSize(5).allSatisfy(sample -> {
                assertThat(sample.getOutcome()).isEqualTo(ProbeOutcome.CONNECTED);
                assertThat(sample.getRttMicros()).isBetween(1L, 300_000L);
            });
            assertThat(ProbeRounds.meanMillis(done.get(0))).isBetween(0.001, 300.0);
            assertThat(done.get(1).getSamplesList()).hasSize(5)
                    .allSatisfy(sample -> assertThat(sample.getOutcome()).isEqualTo(ProbeOutcome.REFUSED));
            assertThat(ProbeRounds.meanMillis(done.get(1))).isEqualTo(-1);
            assertThat(done.get(2).getTargetDomain()).isEqualTo("example.com");
            assertThat(done.get(2).getSamplesList()).hasSize(5) // TEST-NET-1: no origin there (how it fails
                    .allSatisfy(sample -> {                          // depends on the network: timeout, RST, ICMP)
                        assertThat(sample.getOutcome()).isNotEqualTo(ProbeOutcome.CONNECTED);
                        assertThat(sample.getRttMicros()).isZero();
                    });
        } finally {
            pool.shutdownNow();
        }
    }
}
