package dev.arcturus.tools.chaos;

import picocli.CommandLine.Command;

/**
 * {@code arcturus chaos <scenario>}: fault and load scenarios against the real stack on this machine, each ending with
 * {@code RESULT chaos <scenario> lost=<n> duplicated=<n> ...} (exit 1 if anything was lost or duplicated). The test
 * suite runs each in a bounded form; the defaults here are the full size (docs/reliability.md).
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, description = "Run a fault/load scenario on this machine.",
        subcommands = {KillAdmissionScenario.class, TakeoverScenario.class, BadInputScenario.class,
                MariaDbRestartScenario.class, BrokerRestartScenario.class, SoakScenario.class,
                ConnectorOutageScenario.class, IntruderScenario.class, GatewayFailoverScenario.class,
                MySqlCaptureScenario.class})
public final class ChaosCommand {
}
