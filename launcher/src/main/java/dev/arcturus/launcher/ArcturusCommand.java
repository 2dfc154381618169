package dev.arcturus.launcher;

import dev.arcturus.cli.ClientCommand;
import dev.arcturus.cli.ConfigCommand;
import dev.arcturus.cli.JobCommand;
import dev.arcturus.cli.NodeCommand;
import dev.arcturus.cli.RunCommand;
import dev.arcturus.cli.ServicesCommand;
import dev.arcturus.cli.UserCommand;
import dev.arcturus.cli.WatchCommand;
import dev.arcturus.launcher.connector.ConnectorCommand;
import dev.arcturus.launcher.serve.AppCommand;
import dev.arcturus.launcher.serve.GatewayCommand;
import dev.arcturus.launcher.serve.InitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code arcturus} command line. Each capability adds its own subcommand as it lands. The standard help options
 * are inherited, so every command and subcommand, down to the leaves, answers {@code --help} and {@code -h}.
 */
@Command(name = "arcturus", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = ClientCommand.VERSION,
        description = "A Kafka-centred scheduling plane for distributed measurement and acceleration testbeds.",
        subcommands = {UpCommand.class, UserCommand.class, JobCommand.class, RunCommand.class, NodeCommand.class,
                ConfigCommand.class, dev.arcturus.cli.PlaneCommand.class, ServicesCommand.class, WatchCommand.class,
                ConnectorCommand.class,
                dev.arcturus.launcher.sinks.SinkCommand.class, InitCommand.class, AppCommand.class,
                GatewayCommand.class, dev.arcturus.launcher.bus.BusCommand.class,
                dev.arcturus.launcher.sinks.DbCommand.class},
        footer = {"", "Developers' tools (module tools, through the ./arcturus script): bench <what>, chaos <scenario>."})
public final class ArcturusCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        final int exitCode = commandLine().execute(args);
        // Exit explicitly: a CLI command leaves gRPC and Kafka client threads that need not be waited for.
        System.exit(exitCode);
    }

    /** The command line with Arcturus's error reporting and exit codes. */
    public static CommandLine commandLine() {
        return new CommandLine(new ArcturusCommand()).setExecutionExceptionHandler(ClientCommand::report);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
