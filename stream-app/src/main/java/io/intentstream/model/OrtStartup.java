package io.intentstream.model;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way into ONNX Runtime's process-wide environment, with a check first.
 *
 * <p>ONNX Runtime 1.29's native start-up kills the JVM with SIGSEGV (no hs_err file, no log line)
 * when the process command line is longer than about 4 KB. Measured on Debian 12 / JDK 17 with the
 * CPU jar: a 3,980-byte {@code /proc/self/cmdline} starts, 3,981 bytes crash; a long {@code -cp} or
 * {@code JAVA_OPTS} gets there easily. We refuse with a message that says what to do instead of
 * letting the process vanish. Environment variables do not count, so {@code CLASSPATH} and
 * {@code @argfiles} (expanded by the launcher, not in the command line) are the ways around it.
 */
public final class OrtStartup {
    /** Below the measured crash point, with a margin for what we did not measure. */
    static final int MAX_COMMAND_LINE_BYTES = 3_900;
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private OrtStartup() {}

    public static OrtEnvironment environment() {
        checkCommandLine(CMDLINE);
        return OrtEnvironment.getEnvironment();
    }

    /** Throws if the command line in {@code cmdline} is too long for ONNX Runtime; no-op off Linux. */
    static void checkCommandLine(Path cmdline) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(cmdline);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        if (bytes.length > MAX_COMMAND_LINE_BYTES) {
            throw new IllegalStateException("the JVM command line is " + bytes.length + " bytes; ONNX Runtime "
                    + "crashes the process (SIGSEGV) at start-up above about 3,980. Shorten JAVA_OPTS, or pass a "
                    + "long class path in the CLASSPATH environment variable or an @argfile instead of -cp");
        }
    }
}
