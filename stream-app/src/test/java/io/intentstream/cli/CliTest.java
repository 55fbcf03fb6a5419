package io.intentstream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = IntentStreamCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("--help")).contains("run", "demo", "replay");
        assertThat(run("run", "--help")).contains("--config", "--create-topics", "--http-port", "--http-bind");
        assertThat(run("demo", "--help")).contains("--users", "--rate", "--duration", "--data-dir");
        assertThat(run("replay", "--help")).contains("--speed", "--format", "--timestamps", "FILE");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void replaySpeedIsMaxOrAFactor() {
        assertThat(ReplayCommand.parseSpeed("max")).isInfinite();
        assertThat(ReplayCommand.parseSpeed("60")).isEqualTo(60.0);
        assertThat(ReplayCommand.parseSpeed("10x")).isEqualTo(10.0);
        assertThatThrownBy(() -> ReplayCommand.parseSpeed("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
