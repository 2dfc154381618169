package dev.arcturus.tools;

import dev.arcturus.tools.bench.BenchCommand;
import dev.arcturus.tools.chaos.ChaosCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The developers' side of {@code arcturus}: benchmarks and fault scenarios, kept out of the launcher that users and
 * images run. The {@code arcturus} script sends {@code bench …} and {@code chaos …} here, so the commands read the
 * same as before; the standard help options are inherited by every subcommand.
 */
@Command(name = "arcturus", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "Arcturus tools 0.1.0-SNAPSHOT",
        description = "Benchmarks and fault scenarios for the Arcturus plane (developers' tools).",
        subcommands = {BenchCommand.class, ChaosCommand.class})
public final class ToolsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        // Exit explicitly: the harnesses leave Kafka and gRPC client threads that need not be waited for.
        System.exit(new CommandLine(new ToolsCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
