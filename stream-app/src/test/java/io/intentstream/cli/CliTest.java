package io.intentstream.cli;

import io.intentstream.app.AppOptions;
import io.intentstream.config.IntentConfig;
import java.util.Map;
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
        assertThat(run("--help")).contains("run", "replay", "./intent-stream demo");
        assertThat(run("run", "--help")).contains("--config", "--create-topics", "--http-port", "--http-bind");
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

    @Test
    void httpFlagsOverrideTheHttpConfigKeysWhichContainersSetByEnvironment() {
        IntentConfig fromEnv = IntentConfig.load(null, Map.of("INTENTSTREAM_HTTP_BIND", "0.0.0.0",
                "INTENTSTREAM_HTTP_ADVERTISED_HOST", "pod-0.intent-stream"), Map.of());
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs();
        AppOptions fromConfig = run.http.appOptions(fromEnv, false, 6, (short) 3);
        assertThat(fromConfig.httpBind()).isEqualTo("0.0.0.0");
        assertThat(fromConfig.httpPort()).isEqualTo(8080);
        assertThat(fromConfig.advertisedHost()).isEqualTo("pod-0.intent-stream");

        new CommandLine(run).parseArgs("--http-bind", "127.0.0.2", "--http-port", "0");
        AppOptions fromFlags = run.http.appOptions(fromEnv, false, 6, (short) 3);
        assertThat(fromFlags.httpBind()).isEqualTo("127.0.0.2");
        assertThat(fromFlags.httpPort()).isZero();
    }
}
