package dev.arcturus.connector.telemetry;

import dev.arcturus.gateway.api.v1.SystemInfo;
import dev.arcturus.gateway.client.Timestamps;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;

/**
 * One {@code system_info} row per call, from OSHI: every column of the seed's table plus the true logical core count
 * (the seed's gopsutil call reported 1 core on Linux). CPU usage is measured between consecutive calls, so the first
 * sample covers the time since the sampler was made. The disk is the file store holding the connector's work
 * directory (where runs write); the network interface is the one carrying the node's address, else the busiest
 * non-loopback one.
 */
public final class SystemInfoSampler {
    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;
    private final Path workRoot;
    private long[] previousTicks;

    public SystemInfoSampler(final Path workRoot) {
        final oshi.SystemInfo system = new oshi.SystemInfo();
        this.hardware = system.getHardware();
        this.os = system.getOperatingSystem();
        this.workRoot = workRoot.toAbsolutePath();
        this.previousTicks = hardware.getProcessor().getSystemCpuLoadTicks();
    }

    public synchronized SystemInfo sample(final String nodeId, final String ip, final Instant now) {
        final CentralProcessor cpu = hardware.getProcessor();
        final double usage = 100 * cpu.getSystemCpuLoadBetweenTicks(previousTicks);
        previousTicks = cpu.getSystemCpuLoadTicks();
        final GlobalMemory memory = hardware.getMemory();
        final long memoryTotal = memory.getTotal();
        final long memoryAvailable = memory.getAvailable();
        final double[] load = cpu.getSystemLoadAverage(3);
        final SystemInfo.Builder info = SystemInfo.newBuilder().setNodeId(nodeId).setIp(ip)
                .setCpuCores(cpu.getPhysicalProcessorCount()).setLogicalCores(cpu.getLogicalProcessorCount())
                .setCpuModelName(cpu.getProcessorIdentifier().getName())
                .setCpuMhz(cpu.getMaxFreq() > 0 ? cpu.getMaxFreq() / 1e6 : cpu.getProcessorIdentifier().getVendorFreq() / 1e6)
                .setCpuCacheSize(cacheKib(cpu))
                .setCpuUsage(clampPercent(usage))
                .setMemoryTotal(memoryTotal).setMemoryAvailable(memoryAvailable)
                .setMemoryUsed(memoryTotal - memoryAvailable)
                .setMemoryUsedPercent(memoryTotal == 0 ? 0 : 100.0 * (memoryTotal - memoryAvailable) / memoryTotal)
                .setHostname(os.getNetworkParams().getHostName())
                .setOs(System.getProperty("os.name", "").toLowerCase(Locale.ROOT))
                .setPlatform(os.getFamily()).setPlatformVersion(os.getVersionInfo().getVersion())
                .setUptimeSeconds(os.getSystemUptime())
                .setLoad1(Math.max(0, load[0])).setLoad5(Math.max(0, load[1])).setLoad15(Math.max(0, load[2]))
                .setTimestamp(Timestamps.of(now));
        disk(info);
        network(info, ip);
        return info.build();
    }

    private void disk(final SystemInfo.Builder info) {
        os.getFileSystem().getFileStores(true).stream()
                .filter(store -> workRoot.startsWith(store.getMount()))
                .max(Comparator.comparingInt(store -> store.getMount().length()))
                .ifPresent(store -> {
                    final long total = store.getTotalSpace();
                    final long free = store.getUsableSpace();
                    info.setDiskDevice(store.getVolume()).setDiskTotal(total).setDiskFree(free)
                            .setDiskUsed(total - free).setDiskUsedPercent(total == 0 ? 0 : 100.0 * (total - free) / total);
                });
    }

    private void network(final SystemInfo.Builder info, final String ip) {
        final List<NetworkIF> interfaces = hardware.getNetworkIFs(false);
        final NetworkIF chosen = interfaces.stream().filter(nif -> List.of(nif.getIPv4addr()).contains(ip)
                        || List.of(nif.getIPv6addr()).contains(ip)).findFirst()
                .orElseGet(() -> interfaces.stream().filter(nif -> !nif.getName().equals("lo"))
                        .max(Comparator.comparingLong(nif -> nif.getBytesRecv() + nif.getBytesSent())).orElse(null));
        if (chosen != null) {
            chosen.updateAttributes();
            info.setNetworkInterfaceName(chosen.getName()).setNetworkBytesSent(chosen.getBytesSent())
                    .setNetworkBytesRecv(chosen.getBytesRecv()).setNetworkPacketsSent(chosen.getPacketsSent())
                    .setNetworkPacketsRecv(chosen.getPacketsRecv());
        }
    }

    /** The largest cache (the last level), in KiB, as gopsutil's cpu_cache_size. */
    private static int cacheKib(final CentralProcessor cpu) {
        return (int) (cpu.getProcessorCaches().stream().mapToLong(CentralProcessor.ProcessorCache::getCacheSize)
                .max().orElse(0) / 1024);
    }

    private static double clampPercent(final double value) {
        return Double.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
    }
}
