package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose config} (Debian 12's docker-compose 1.29, installed by infra/ci/tools.sh)
 * accepts the compose file and sees the services the file declares.
 */
class ComposeConfigIT {
    private final Path compose = InfraFiles.infra().resolve("compose/docker-compose.yml");

    @Test
    void composeValidatesTheFile() throws Exception {
        String[] out = run("docker-compose", "-f", compose.toString(), "config", "-q");
        assertThat(out[0]).as(out[1]).isEqualTo("0");
    }

    @Test
    void composeSeesEveryDeclaredService() throws Exception {
        String[] out = run("docker-compose", "-f", compose.toString(), "config", "--services");
        assertThat(out[0]).as(out[1]).isEqualTo("0");
        TreeSet<String> declared = new TreeSet<>();
        InfraFiles.compose().path("services").fieldNames().forEachRemaining(declared::add);
        assertThat(new TreeSet<>(Arrays.asList(out[1].strip().split("\\s+")))).isEqualTo(declared);
    }

    /** Runs a command in the compose directory: {exit code, stdout+stderr}. */
    private String[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(compose.getParent().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), output};
    }
}
