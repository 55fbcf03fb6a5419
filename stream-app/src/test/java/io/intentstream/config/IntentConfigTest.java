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
        assertThat(c.scoring().intervalMs()).isEqualTo(20);
        assertThat(c.scoring().maxBatch()).isEqualTo(256);
        assertThat(c.scoring().mode()).isEqualTo(ScoringSettings.Mode.BATCHED);
        assertThat(c.model().provider()).isEqualTo(ModelSettings.Provider.AUTO);
        assertThat(c.ingest().inputKeyedByUser()).isTrue();
        assertThat(c.model().dir()).isEmpty();
    }

    @Test
    void environmentOverridesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "scoring.interval.ms=50\nscoring.max.batch=64\ntrigger.high-intent.upper=0.7\n");
        IntentConfig c = IntentConfig.load(file, Map.of("INTENTSTREAM_SCORING_INTERVAL_MS", "5",
                "INTENTSTREAM_TRIGGER_HIGH_INTENT_LOWER", "0.5", "UNRELATED", "x"), Map.of());
        assertThat(c.scoring().intervalMs()).isEqualTo(5);
        assertThat(c.scoring().maxBatch()).isEqualTo(64);
        assertThat(c.outputs().highIntentUpper()).isEqualTo(0.7);
        assertThat(c.outputs().highIntentLower()).isEqualTo(0.5);
    }

    @Test
    void prefixesPassThroughToKafkaStreamsAndRegistryWithoutCode() {
        IntentConfig c = IntentConfig.load(null, Map.of("INTENTSTREAM_KAFKA_SASL_MECHANISM", "PLAIN",
                "INTENTSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), Map.of(
                "streams.num.stream.threads", "4", "kafka.bootstrap.servers", "b:9093",
                "registry.schema.registry.url", "mock://cfg", "streams.bootstrap.servers", "s:9094"));
        assertThat(c.withPrefix("streams.")).containsEntry("num.stream.threads", "4").containsEntry("bootstrap.servers", "s:9094");
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
        assertThat(IntentConfig.of(Map.of("scoring.mode", "per-event")).scoring().mode())
                .isEqualTo(ScoringSettings.Mode.PER_EVENT);
        assertThat(IntentConfig.envName("trigger.cart-abandonment.idle.ms")).isEqualTo("INTENTSTREAM_TRIGGER_CART_ABANDONMENT_IDLE_MS");
    }

    @Test
    void invalidNumbersAreRejectedAtLoadNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> IntentConfig.of(Map.of("scoring.interval.ms", "-3")))
                .hasMessage("scoring.interval.ms must be > 0, got -3");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("scoring.max.batch", "many")))
                .hasMessage("scoring.max.batch must be a whole number, got many");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("input.keyed.by.user", "yes")))
                .hasMessage("input.keyed.by.user must be true or false, got yes");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("inference.intra.op.threads", "-1")))
                .hasMessage("inference.intra.op.threads must be >= 0, got -1");
        assertThatThrownBy(() -> IntentConfig.of(Map.of("trigger.high-intent.lower", "0.9")))
                .hasMessage("trigger.high-intent.lower must be <= trigger.high-intent.upper, got 0.9 > 0.6");
    }

    @Test
    void everyConcernIsParsedOnceIntoItsOwnRecord() {
        IntentConfig c = IntentConfig.of(Map.of("model.dir", "/models", "recommend.top.n", "20"));
        assertThat(c.scoring()).isEqualTo(new ScoringSettings(ScoringSettings.Mode.BATCHED, 20, 256, 8, 2000, 0L));
        assertThat(c.sequence()).isEqualTo(new SequenceSettings(86_400_000L, 5_000L));
        assertThat(c.model().dir()).contains(Path.of("/models"));
        assertThat(c.outputs().recommendTopN()).isEqualTo(20);
        assertThat(c.ingest().maxCartLines()).isEqualTo(200);
        assertThat(c.scoring()).as("the same parsed record every time").isSameAs(c.scoring());
        assertThat(c.state()).isEqualTo(new StateSettings(64L << 20, 16L << 20));
        assertThatThrownBy(() -> IntentConfig.of(Map.of("state.rocksdb.memtable.bytes", "134217728")))
                .hasMessage("state.rocksdb.memtable.bytes must be <= state.rocksdb.cache.bytes, got 134217728 > 67108864");
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
        assertThat(c.outputs().highIntentCooldownMs()).isEqualTo(5000);
        assertThat(c.sequence().ttlMs()).isEqualTo(60000);
        assertThat(c.http().bind()).isEqualTo("0.0.0.0");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().advertisedHost()).isEmpty();
    }
}
