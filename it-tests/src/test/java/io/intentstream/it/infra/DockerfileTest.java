package io.intentstream.it.infra;

import static io.intentstream.it.infra.InfraFiles.copies;
import static io.intentstream.it.infra.InfraFiles.dockerInstructions;
import static io.intentstream.it.infra.InfraFiles.execForm;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production Dockerfile agrees with the rest of the repository. That it builds and runs is
 * proven by {@code AppContainerIT}; this checks what a build cannot: the image packages the jar
 * the launcher and Maven produce, reads the config file it copies, and its context filter lets
 * exactly its sources through.
 */
class DockerfileTest {
    private final Path infra = InfraFiles.infra();
    private final Path repo = InfraFiles.repo();

    private List<String> instructions() throws IOException {
        return dockerInstructions(infra.resolve("docker/Dockerfile"));
    }

    @Test
    void baseImageIsABuildArgWithAPinnedDefault() throws IOException {
        List<String> instructions = instructions();
        String from = instructions.stream().filter(i -> i.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow();
        Matcher arg = Pattern.compile("FROM \\$\\{(\\w+)}").matcher(from);
        assertThat(arg.matches()).as("FROM takes the base image from a build arg: %s", from).isTrue();
        String declared = instructions.stream().filter(i -> i.startsWith("ARG " + arg.group(1) + "=")).findFirst().orElseThrow();
        String image = declared.substring(declared.indexOf('=') + 1);
        assertThat(image).as("default base image is tagged, not latest").contains(":").doesNotEndWith(":latest");
    }

    @Test
    void runsAsANonRootUser() throws IOException {
        List<String> users = instructions().stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotMatch("USER (root|0)(:.*)?");
    }

    @Test
    void packagesTheProductionJarTheLauncherRuns() throws IOException {
        String launcher = Files.readString(repo.resolve("intent-stream"));
        Matcher jar = Pattern.compile("jar=\"\\$root/([^\"]+\\.jar)\"").matcher(launcher);
        List<String> launcherJars = new ArrayList<>();
        while (jar.find()) {
            launcherJars.add(jar.group(1));
        }
        assertThat(launcherJars).as("the launcher names its jars").isNotEmpty();
        Map<String, String> copies = copies(instructions());
        List<String> copiedJars = copies.keySet().stream().filter(src -> src.endsWith(".jar")).toList();
        // One jar: a launcher jar, and not the demo's (the image is the production image).
        assertThat(copiedJars).hasSize(1);
        assertThat(launcherJars).contains(copiedJars.get(0));
        assertThat(copiedJars.get(0)).doesNotContain("demo");
        // The image runs the jar it copied.
        assertThat(execForm(instructions(), "ENTRYPOINT")).containsSubsequence("-jar", copies.get(copiedJars.get(0)));
    }

    @Test
    void defaultCommandReadsTheConfigFileTheImageContains() throws IOException {
        List<String> command = new ArrayList<>(execForm(instructions(), "ENTRYPOINT"));
        command.addAll(execForm(instructions(), "CMD"));
        int config = command.indexOf("--config");
        assertThat(config).as("default command passes --config: %s", command).isPositive();
        assertThat(copies(instructions())).containsValue(command.get(config + 1));
    }

    @Test
    void copySourcesExistAndPassTheDockerignore() throws IOException {
        List<String> ignore = Files.readAllLines(infra.resolve("docker/Dockerfile.dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).as("the context starts from nothing").startsWith("*");
        Map<String, String> copies = copies(instructions());
        assertThat(copies).isNotEmpty();
        for (String src : copies.keySet()) {
            if (!src.contains("/target/")) {
                assertThat(repo.resolve(src)).as("COPY source").isRegularFile();
            }
            assertThat(ignore).as("Dockerfile.dockerignore lets %s through", src).contains("!" + src);
        }
        assertThat(ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)))
                .as("nothing else is let through").containsExactlyInAnyOrderElementsOf(copies.keySet());
    }

    @Test
    void exposesTheHttpPortItsHealthcheckAndDefaultsUse() throws IOException {
        List<String> instructions = instructions();
        String port = InfraFiles.properties(infra.resolve("docker/intent-stream.properties")).getProperty("http.port");
        assertThat(port).isNotBlank();
        assertThat(instructions).contains("EXPOSE " + port);
        assertThat(instructions).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("/health/live"));
        assertThat(instructions).anyMatch(i -> i.startsWith("ENV ") && i.contains("-XX:MaxRAMPercentage="));
    }

    @Test
    void stateDirectoryIsTheVolume() throws IOException {
        String stateDir = InfraFiles.properties(infra.resolve("docker/intent-stream.properties")).getProperty("streams.state.dir");
        List<String> volumes = instructions().stream().filter(i -> i.startsWith("VOLUME ")).toList();
        assertThat(volumes).hasSize(1);
        String volume = InfraFiles.execForm(volumes, "VOLUME").get(0);
        assertThat(stateDir).startsWith(volume + "/");
    }
}
