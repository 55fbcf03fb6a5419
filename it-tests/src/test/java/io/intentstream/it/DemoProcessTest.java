package io.intentstream.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code demo} command as users run it: a separate JVM with its own in-process broker,
 * registry, app and simulator. It must become ready, produce scores visible in /metrics and stop
 * cleanly on SIGTERM.
 */
@Timeout(180)
class DemoProcessTest {
    private static final Pattern SCORES = Pattern.compile("(?m)^intentstream_scores_emitted_total(?:\\{[^}]*})? ([0-9.eE+]+)");

    @Test
    void demoBecomesReadyScoresAndStopsCleanlyOnSigterm() throws Exception {
        int port = Ports.free();
        String base = "http://127.0.0.1:" + port;
        try (ChildJvm demo = ChildJvm.start(Path.of("target", "it-logs", "demo.log"), List.of(
                "demo", "--duration", "150s", "--http-port", String.valueOf(port), "--plain",
                "--users", "60", "--rate", "40", "--refresh", "5s"))) {
            try {
                Await.until("demo ready", Duration.ofSeconds(90), () -> {
                    if (!demo.isAlive()) {
                        throw new AssertionError("demo exited");
                    }
                    return Http.status(base + "/health/ready") == 200;
                });
                Await.until("scores in /metrics", Duration.ofSeconds(60), () -> scoresEmitted(Http.get(base + "/metrics").body()) > 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + demo.tail(), e);
            }
            String metrics = Http.get(base + "/metrics").body();
            assertThat(metrics).contains("intentstream_model_info{", "intentstream_inference_batch_size");

            int exit = demo.terminate(Duration.ofSeconds(60));
            // 143 = 128 + SIGTERM: the JVM's status after running its shutdown hooks for a signal.
            assertThat(exit).as(demo.tail()).isIn(0, 143);
            assertThat(demo.output()).contains("demo stopped cleanly").doesNotContain("Exception in thread");
        }
    }

    static double scoresEmitted(String metrics) {
        Matcher m = SCORES.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
