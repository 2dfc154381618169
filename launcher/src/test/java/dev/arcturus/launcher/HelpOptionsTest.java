package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand of {@code arcturus}, down to the leaves, answers {@code --help} and {@code -h}. */
class HelpOptionsTest {
    /** One tree for every question (building it reflects over every command class); picocli resets it per parse. */
    private static final CommandLine CLI = ArcturusCommand.commandLine();

    record Answer(int exit, String out, String err) {
    }

    @Test
    void shouldAnswerHelpOnEveryCommandOfTheTree() {
        final List<List<String>> paths = new ArrayList<>();
        collect(CLI, new ArrayList<>(), paths);
        assertThat(paths).as("the tree reaches leaf subcommands")
                .contains(List.of("job", "schedule"), List.of("node", "register"), List.of("up"));
        final List<String> refused = new ArrayList<>();
        for (final List<String> path : paths) {
            for (final String flag : List.of("--help", "-h")) {
                final Answer answer = ask(path, flag);
                final String usage = "Usage: arcturus" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                if (answer.exit() != 0 || !answer.out().startsWith(usage) || !answer.err().isEmpty()) {
                    refused.add(String.join(" ", path) + " " + flag + " -> exit " + answer.exit() + ", "
                            + (answer.err().isEmpty() ? answer.out().lines().findFirst().orElse("") : answer.err()));
                }
            }
        }
        assertThat(refused).as("commands that do not answer help").isEmpty();
    }

    @Test
    void shouldStillRefuseAnUnknownOptionOnALeaf() {
        final Answer answer = ask(List.of("job", "schedule"), "--no-such-option");
        assertThat(answer.exit()).isEqualTo(2);
        assertThat(answer.err()).contains("Unknown option: '--no-such-option'");
    }

    private static void collect(final CommandLine command, final List<String> path, final List<List<String>> out) {
        out.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // each subcommand once, not once per alias
                final List<String> child = new ArrayList<>(path);
                child.add(name);
                collect(sub, child, out);
            }
        });
    }

    private static Answer ask(final List<String> path, final String flag) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        CLI.setOut(new PrintWriter(out, true));
        CLI.setErr(new PrintWriter(err, true));
        final List<String> args = new ArrayList<>(path);
        args.add(flag);
        final int exit = CLI.execute(args.toArray(String[]::new));
        return new Answer(exit, out.toString(), err.toString());
    }
}
