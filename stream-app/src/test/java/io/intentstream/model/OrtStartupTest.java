package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtStartupTest {
    @TempDir
    Path dir;

    @Test
    void aCommandLineAtTheLimitPassesAndOneByteMoreIsRefusedWithWhatToDo() throws IOException {
        Path ok = Files.write(dir.resolve("ok"), new byte[OrtStartup.MAX_COMMAND_LINE_BYTES]);
        Path tooLong = Files.write(dir.resolve("long"), new byte[OrtStartup.MAX_COMMAND_LINE_BYTES + 1]);
        OrtStartup.checkCommandLine(ok);
        assertThatThrownBy(() -> OrtStartup.checkCommandLine(tooLong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining((OrtStartup.MAX_COMMAND_LINE_BYTES + 1) + " bytes")
                .hasMessageContaining("CLASSPATH");
    }

    @Test
    void withoutAProcCommandLineThereIsNothingToCheck() {
        assertThatCode(() -> OrtStartup.checkCommandLine(dir.resolve("absent"))).doesNotThrowAnyException();
    }

    /** The real thing: a JVM whose command line is too long exits with our message, not SIGSEGV. */
    @Test
    void aLongCommandLineEndsWithAClearErrorInsteadOfACrash() throws Exception {
        Result shortLine = startOrt("");
        assertThat(shortLine.exit).as(shortLine.output).isZero();
        assertThat(shortLine.output).contains("ORT environment ready");

        Result longLine = startOrt("x".repeat(4_200));
        assertThat(longLine.exit).as(longLine.output).isEqualTo(1);
        assertThat(longLine.output).contains("ONNX Runtime crashes the process");
    }

    record Result(int exit, String output) {}

    /** A child JVM that only opens the ORT environment; the class path travels in CLASSPATH. */
    private static Result startOrt(String padding) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!padding.isEmpty()) {
            command.add("-Dpadding=" + padding);
        }
        command.add(OrtStartupMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
