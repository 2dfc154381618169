package dev.arcturus.tools.bench;

import picocli.CommandLine.Command;

/** {@code arcturus bench <what>}: benchmark harnesses that print their result as a final {@code RESULT} line. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark on this machine.",
        subcommands = {AdmissionBenchmark.class, KafkaBaselineBenchmark.class, LivenessBenchmark.class,
                SinksBenchmark.class, EndToEndBenchmark.class, PlacementBenchmark.class, PathsBenchmark.class,
                RunHistoryBenchmark.class})
public final class BenchCommand {
}
