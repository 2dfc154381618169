package dev.arcturus.launcher;

import dev.arcturus.launcher.cli.ConfigCommand;
import dev.arcturus.launcher.cli.ConnectorCommand;
import dev.arcturus.launcher.cli.ExitCodes;
import dev.arcturus.launcher.cli.JobCommand;
import dev.arcturus.launcher.cli.NodeCommand;
import dev.arcturus.launcher.cli.RunCommand;
import dev.arcturus.launcher.cli.ServicesCommand;
import dev.arcturus.launcher.cli.UserCommand;
import dev.arcturus.launcher.cli.WatchCommand;
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
        version = "Arcturus 0.1.0-SNAPSHOT",
        description = "A Kafka-centred scheduling plane for distributed measurement and acceleration testbeds.",
        subcommands = {UpCommand.class, UserCommand.class, JobCommand.class, RunCommand.class, NodeCommand.class,
                ConfigCommand.class, ServicesCommand.class, WatchCommand.class, ConnectorCommand.class,
                dev.arcturus.launcher.sinks.SinkCommand.class, InitCommand.class, AppCommand.class,
                GatewayCommand.class},
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
        return new CommandLine(new ArcturusCommand()).setExecutionExceptionHandler(ArcturusCommand::reportFailure);
    }

    /** Operators get the reason in one line per cause, not a stack trace; ARCTURUS_DEBUG=1 shows the trace. */
    private static int reportFailure(final Exception e, final CommandLine command,
                                     final CommandLine.ParseResult parseResult) {
        final int grpcExit = ExitCodes.report(e, command);
        if (grpcExit >= 0) {
            return grpcExit;
        }
        final StringBuilder message = new StringBuilder(command.getCommandName()).append(": ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            message.append(System.lineSeparator()).append("  caused by: ").append(cause.getMessage());
        }
        command.getErr().println(message);
        if (System.getenv("ARCTURUS_DEBUG") != null) {
            e.printStackTrace(command.getErr());
        }
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
