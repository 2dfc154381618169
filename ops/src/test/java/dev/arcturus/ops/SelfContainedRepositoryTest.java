package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user's clone has nothing beside it: no source, resource, build file or script of the project may refer to the
 * team's {@code shared/} folder, which sits beside the repository only on the team's machines and CI.
 */
class SelfContainedRepositoryTest {
    private static final String SHARED = "shared";
    /** The folder reached upwards through any number of parent steps, or a path literal naming its subfolders. */
    private static final Pattern REFERENCE = Pattern.compile("\\.\\./+(\\.\\./+)*" + SHARED + "\\b"
            + "|[\"']" + SHARED + "/(reference|seeds|hooks)\\b");

    @Test
    void shouldReferToNothingBesideTheRepository() throws IOException {
        final List<String> offenders = new ArrayList<>();
        for (final Path file : projectFiles()) {
            final List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (final MalformedInputException binary) {
                continue; // images, keystores: no paths to read there
            }
            for (int i = 0; i < lines.size(); i++) {
                if (REFERENCE.matcher(lines.get(i)).find()) {
                    offenders.add(OpsFiles.ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(offenders).as("files that refer to ../" + SHARED + " (carry the data instead, with its source)")
                .isEmpty();
    }

    @Test
    void shouldCatchTheFormsItLooksFor() {
        assertThat(REFERENCE.matcher("Path.of(\"../../" + SHARED + "/reference/data\")").find()).isTrue();
        assertThat(REFERENCE.matcher("cat ../" + SHARED + "/seeds/000.txt").find()).isTrue();
        assertThat(REFERENCE.matcher("dir.resolve(\"" + SHARED + "/reference/data/x\")").find()).isTrue();
        assertThat(REFERENCE.matcher("a shared/ folder is explained in words").find()).isFalse();
        assertThat(REFERENCE.matcher("../" + SHARED + "memory").find()).isFalse();
    }

    @Test
    void shouldScanEveryModulesSources() throws IOException {
        assertThat(projectFiles()).as("the scan reaches the modules' sources")
                .anyMatch(f -> f.endsWith(Path.of("streams-apps", "src", "test", "java", "dev", "arcturus", "paths",
                        "KShortestPathsTest.java")))
                .anyMatch(f -> f.equals(OpsFiles.ROOT.resolve("arcturus")));
    }

    /** Every module's src/ tree, every POM, and the scripts a user or CI runs. */
    private static List<Path> projectFiles() throws IOException {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> top = Files.list(OpsFiles.ROOT)) {
            for (final Path entry : top.sorted().toList()) {
                final Path src = entry.resolve("src");
                if (Files.isDirectory(src)) {
                    try (Stream<Path> walk = Files.walk(src)) {
                        walk.filter(Files::isRegularFile).forEach(files::add);
                    }
                }
                if (Files.isRegularFile(entry.resolve("pom.xml"))) {
                    files.add(entry.resolve("pom.xml"));
                }
            }
        }
        files.add(OpsFiles.ROOT.resolve("pom.xml"));
        files.add(OpsFiles.ROOT.resolve("arcturus"));
        files.add(OpsFiles.ROOT.resolve("docker-compose.yaml"));
        for (final String dir : List.of(".ci", "ops/test-env", "ops/docker", "ops/helm")) {
            final Path path = OpsFiles.ROOT.resolve(dir);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        return files;
    }
}
