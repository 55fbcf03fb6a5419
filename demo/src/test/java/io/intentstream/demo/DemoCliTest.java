package io.intentstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCliTest {
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = DemoCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void theDemoJarOffersTheDemoNextToTheProductionCommands() {
        assertThat(run("--help")).contains("run", "replay", "demo");
        assertThat(run("demo", "--help")).contains("--users", "--rate", "--duration", "--data-dir", "--http-port");
        assertThat(run("run", "--help")).contains("--config", "--create-topics");
    }
}
