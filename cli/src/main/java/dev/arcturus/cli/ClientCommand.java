package dev.arcturus.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code arcturus} client commands on their own: what {@code ./arcturus user|job|run|node|config|services|watch}
 * and {@code --version} run. Only the gateway's API is on the classpath, so a call starts in a fraction of a second;
 * the launcher's full tree ({@code up}, the servers, the connector) adds the same commands to its own.
 */
@Command(name = "arcturus", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = ClientCommand.VERSION,
        description = "Arcturus client commands (./arcturus --help lists the rest).")
public final class ClientCommand implements Runnable {
    public static final String VERSION = "Arcturus 0.1.0-SNAPSHOT";
    /** The client commands, by name; the launcher lists the same classes in its own tree. */
    public static final Map<String, Class<?>> COMMANDS = commands();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        final int exitCode = commandLine(args).setExecutionExceptionHandler(ClientCommand::report).execute(args);
        CliTransport.stop();
        // Exit explicitly: gRPC's executor threads need not be waited for.
        System.exit(exitCode);
    }

    /**
     * The command line for {@code args}: only the subcommand they name is built (picocli reflects over every class
     * it is given, and a full tree costs a quarter of a second); no name, or an unknown one, gets them all.
     */
    static CommandLine commandLine(final String[] args) {
        final CommandLine line = new CommandLine(new ClientCommand());
        final Class<?> named = args.length == 0 ? null : COMMANDS.get(args[0]);
        if (named != null) {
            line.addSubcommand(named);
        } else if (args.length == 0 || !args[0].equals("--version") && !args[0].equals("-V")) {
            COMMANDS.values().forEach(line::addSubcommand);
        }
        return line;
    }

    private static Map<String, Class<?>> commands() {
        final Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (final Class<?> command : List.of(UserCommand.class, JobCommand.class, RunCommand.class, NodeCommand.class,
                ConfigCommand.class, ServicesCommand.class, WatchCommand.class)) {
            commands.put(command.getAnnotation(Command.class).name(), command);
        }
        return Collections.unmodifiableMap(commands);
    }

    /** Operators get the reason in one line per cause, not a stack trace; ARCTURUS_DEBUG=1 shows the trace. */
    public static int report(final Exception e, final CommandLine command, final CommandLine.ParseResult parsed) {
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
        return ExitCodes.FAILED;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
