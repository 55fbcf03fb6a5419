package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by probing: {@code /health/ready} answered 200 for ~90 s while no stream thread was alive,
 * because it looked only at the client's state, which stays RUNNING. Readiness now needs a stream
 * thread that is processing.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(150)
class ReadinessTest {
    @Test
    void notReadyWhileNoStreamThreadIsProcessingAndReadyAgainWhenOneIs(TestKafka kafka) throws Exception {
        kafka.createTopics();
        IntentConfig config = IntentConfig.of(kafka.appSettings("it-ready", Files.createTempDirectory("it-ready")));
        try (IntentStreamApp app = new IntentStreamApp(config, AppOptions.loopback(0)).start()) {
            String ready = app.httpUrl() + "/health/ready";
            Await.until("app ready", Duration.ofSeconds(90), () -> Http.status(ready) == 200);

            assertThat(app.streams().removeStreamThread(Duration.ofSeconds(30))).isPresent();
            Await.until("not ready without a stream thread", Duration.ofSeconds(10), () -> Http.status(ready) == 503);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(Http.get(ready).body()).contains("0 stream threads processing");
            assertThat(Http.status(app.httpUrl() + "/health/live")).isEqualTo(200);

            assertThat(app.streams().addStreamThread()).isPresent();
            Await.until("ready again with a new stream thread", Duration.ofSeconds(60), () -> Http.status(ready) == 200);
        }
    }
}
