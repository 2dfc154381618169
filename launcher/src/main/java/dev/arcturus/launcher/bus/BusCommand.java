package dev.arcturus.launcher.bus;

import picocli.CommandLine.Command;

/** {@code arcturus bus …}: the operators' side of the secured bus. */
@Command(name = "bus", mixinStandardHelpOptions = true, description = "Manage who may use the bus.",
        subcommands = {GrantProducerCommand.class})
public final class BusCommand {
}
