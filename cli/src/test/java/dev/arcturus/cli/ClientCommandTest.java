package dev.arcturus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client tree is built per call: only the command named, so a CLI call does not reflect over all of them. */
class ClientCommandTest {

    @Test
    void shouldBuildOnlyTheNamedCommand() {
        assertThat(ClientCommand.commandLine(new String[] {"job", "list"}).getSubcommands()).containsOnlyKeys("job");
        assertThat(ClientCommand.commandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
        assertThat(ClientCommand.commandLine(new String[] {"--help"}).getSubcommands().keySet())
                .containsExactlyElementsOf(ClientCommand.COMMANDS.keySet());
        assertThat(ClientCommand.COMMANDS).containsKeys("user", "job", "run", "node", "config", "services", "watch");
    }

    @Test
    void shouldAnswerVersionAndHelpWithoutAGateway() {
        final StringWriter out = new StringWriter();
        final CommandLine version = ClientCommand.commandLine(new String[] {"--version"});
        version.setOut(new PrintWriter(out));
        assertThat(version.execute("--version")).isZero();
        assertThat(out.toString()).contains(ClientCommand.VERSION);

        final StringWriter help = new StringWriter();
        final CommandLine job = ClientCommand.commandLine(new String[] {"job", "schedule", "--help"});
        job.setOut(new PrintWriter(help));
        assertThat(job.execute("job", "schedule", "--help")).isZero();
        assertThat(help.toString()).contains("Usage: arcturus job schedule");
    }

    @Test
    void shouldExitUnavailableWhenNoGatewayAnswers(@TempDir final Path dir) throws Exception {
        final Path token = Files.writeString(dir.resolve("token"), "any");
        final CommandLine line = ClientCommand.commandLine(new String[] {"job", "list"});
        line.setErr(new PrintWriter(new StringWriter()));
        line.setExecutionExceptionHandler(ClientCommand::report);
        assertThat(line.execute("job", "list", "--gateway", "127.0.0.1:9", "--plaintext",
                "--token-file", token.toString())).isEqualTo(ExitCodes.UNAVAILABLE);
    }
}
