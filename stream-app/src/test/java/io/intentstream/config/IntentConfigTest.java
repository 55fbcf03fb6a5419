package io.intentstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentConfigTest {

    @Test
    void defaultsAreDocumentedInOneFileAndTyped() {
        IntentConfig c = IntentConfig.of(Map.of());
        assertThat(c.scoringIntervalMs()).isEqualTo(20);
        assertThat(c.scoringMaxBatch()).isEqualTo(256);
        assertThat(c.scoringMode()).isEqualTo(IntentConfig.ScoringMode.BATCHED);
        assertThat(c.provider()).isEqualTo(IntentConfig.Provider.AUTO);
        assertThat(c.inputKeyedByUser()).isTrue();
        assertThat(c.modelDir()).isEmpty();
        assertThat(c.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("errors.dead.letter.queue.topic.name", "intent.dlq.v1");
    }

    @Test
    void environmentOverridesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "scoring.interval.ms=50\nscoring.max.batch=64\ntrigger.high-intent.upper=0.7\n");
        IntentConfig c = IntentConfig.load(file, Map.of("INTENTSTREAM_SCORING_INTERVAL_MS", "5",
                "INTENTSTREAM_TRIGGER_HIGH_INTENT_LOWER", "0.5", "UNRELATED", "x"), Map.of());
        assertThat(c.scoringIntervalMs()).isEqualTo(5);
        assertThat(c.scoringMaxBatch()).isEqualTo(64);
        assertThat(c.highIntentUpper()).isEqualTo(0.7);
        assertThat(c.highIntentLower()).isEqualTo(0.5);
    }

    @Test
    void prefixesPassThroughToKafkaStreamsAndRegistryWithoutCode() {
        IntentConfig c = IntentConfig.load(null, Map.of("INTENTSTREAM_KAFKA_SASL_MECHANISM", "PLAIN",
                "INTENTSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), Map.of(
                "streams.num.stream.threads", "4", "kafka.bootstrap.servers", "b:9093",
                "registry.schema.registry.url", "mock://cfg", "streams.bootstrap.servers", "s:9094"));
        assertThat(c.streamsProperties()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("num.stream.threads", "4")
                .containsEntry("bootstrap.servers", "s:9094").doesNotContainKey("scoring.interval.ms");
        assertThat(c.kafkaClientConfig()).containsEntry("bootstrap.servers", "b:9093");
        assertThat(c.registryConfig()).containsEntry("schema.registry.url", "mock://cfg");
        assertThat(c.toString()).doesNotContain("PLAIN");
    }

    @Test
    void rejectsInvalidValuesWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> IntentConfig.of(Map.of("scoring.mode", "sometimes"))).hasMessageContaining("scoring.mode");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("inference.provider", "tpu"))).hasMessageContaining("inference.provider");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("trigger.high-intent.lower", "0.9")))
                .hasMessageContaining("trigger.high-intent.lower");
        assertThat(IntentConfig.of(Map.of("scoring.mode", "per-event")).scoringMode())
                .isEqualTo(IntentConfig.ScoringMode.PER_EVENT);
        assertThat(IntentConfig.envName("trigger.cart-abandonment.idle.ms")).isEqualTo("INTENTSTREAM_TRIGGER_CART_ABANDONMENT_IDLE_MS");
    }

    @Test
    void zeroIntervalsAndProbabilitiesOutsideZeroToOneAreRejectedAtLoad() {
        for (String key : new String[] {"sequence.idle.check.interval.ms", "model.watch.interval.ms", "sequence.ttl.ms"}) {
            assertThatThrownBy(() -> IntentConfig.of(Map.of(key, "0"))).hasMessageContaining(key);
        }
        assertThatThrownBy(() -> IntentConfig.of(Map.of("trigger.cart-abandonment.max.probability", "1.5")))
                .hasMessageContaining("probability");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("http.port", "70000"))).hasMessageContaining("http.port");
    }

    @Test
    void aCommandsBaselineSitsBelowTheFileAndTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "trigger.high-intent.cooldown.ms=5000\n");
        IntentConfig c = IntentConfig.load(Map.of("trigger.high-intent.cooldown.ms", "120000", "sequence.ttl.ms", "60000"),
                file, Map.of("INTENTSTREAM_HTTP_BIND", "0.0.0.0"), Map.of("kafka.bootstrap.servers", "127.0.0.1:1"));
        assertThat(c.highIntentCooldownMs()).isEqualTo(5000);
        assertThat(c.sequenceTtlMs()).isEqualTo(60000);
        assertThat(c.httpBind()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.httpAdvertisedHost()).isEmpty();
    }
}
