package dev.arcturus.network;

import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.streams.ProcessorClock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps each node's last CPU samples and publishes their mean, population variance and the node's spare capacity. */
final class CpuStatsProcessor implements Processor<String, SystemInfo, String, NodeCpuStats> {
    private final int keep;
    private ProcessorContext<String, NodeCpuStats> context;
    private KeyValueStore<String, NodeCpuStats> window;
    private ProcessorClock clock;

    CpuStatsProcessor(final int keep) {
        this.keep = keep;
    }

    @Override
    public void init(final ProcessorContext<String, NodeCpuStats> context) {
        this.context = context;
        this.window = context.getStateStore(NetworkMetricsTopology.CPU_WINDOW_STORE);
        this.clock = new ProcessorClock(context);
    }

    @Override
    public void process(final Record<String, SystemInfo> record) {
        final SystemInfo info = record.value();
        if (info == null) {
            return;
        }
        final NodeCpuStats previous = window.get(record.key());
        final List<Double> samples = previous == null ? new ArrayList<>() : new ArrayList<>(previous.getSamples());
        samples.add(info.getCpuUsage());
        while (samples.size() > keep) {
            samples.remove(0);
        }
        // The seed's cpu_cores was always 1 on Linux; logical cores are what the capacity really scales with.
        final int cores = Math.max(1, info.getLogicalCores() > 0 ? info.getLogicalCores() : info.getCpuCores());
        final NodeCpuStats stats = NodeCpuStats.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("network-metrics", clock))
                .setNodeId(record.key()).setIp(info.getIp()).setSamples(samples)
                .setCpuMean(LinkScoring.mean(samples)).setCpuVariance(LinkScoring.populationVariance(samples))
                .setLogicalCores(cores)
                .setCapacity((int) Math.round(Math.max(0, 100 - info.getCpuUsage()) * cores))
                .setUpdatedAt(info.getTimestamp())
                .build();
        window.put(record.key(), stats);
        context.forward(new Record<>(record.key(), stats, record.timestamp()));
    }
}
