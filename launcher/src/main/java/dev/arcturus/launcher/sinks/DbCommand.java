package dev.arcturus.launcher.sinks;

import dev.arcturus.sinks.mysql.MySqlWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code arcturus db init}: the seed's "initialise the tables before starting", for MySQL/MariaDB. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "The operators' MySQL/MariaDB database.",
        subcommands = {DbCommand.Init.class})
public final class DbCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the Arcturus tables (node_region, system_info, region_probe_info, network_metrics, "
                    + "domain_origin) or bring them up to date, as the MySQL sink does at start. Seed 000's INSERT "
                    + "statements (init_nodes.sql) then run unchanged; the password comes from "
                    + MySqlOptions.PASSWORD_ENV + " or --mysql-password-file.")
    static final class Init implements Callable<Integer> {
        @Mixin
        MySqlOptions database;

        @Override
        public Integer call() {
            final String version = MySqlWriter.initialise(database.config());
            System.out.printf("Arcturus tables ready in %s (schema version %s).%n", database.jdbcUrl, version);
            return 0;
        }
    }
}
