package io.intentstream.topology;


import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.TestEvents;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.app.StreamsProperties;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology on TopologyTestDriver with the real committed model, RocksDB stores and a
 * mock:// registry: the shared set-up of the topology suites, split by concern (scoring, ingest,
 * outputs, shopper lifecycle). Wall-clock punctuators are driven by {@link #tick()}.
 */
abstract class TopologyFixture {
    static final long T0 = 1_767_600_000_000L;
    static LiveModel model;
    static List<String> vocab;

    @TempDir
    Path stateDir;
    String scope;
    IntentMetrics metrics;
    TopologyTestDriver driver;
    Map<String, Object> registry;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    void start(Map<String, String> overrides) {
        start(overrides, model);
    }

    void start(Map<String, String> overrides, LiveModel live) {
        scope = "topology-" + UUID.randomUUID();
        Map<String, String> m = new HashMap<>(Map.of("registry.schema.registry.url", "mock://" + scope,
                "streams.application.id", "intent-test", "streams.state.dir", stateDir.toString(),
                "scoring.max.batch", "32", "sequence.idle.check.interval.ms", "1000"));
        m.putAll(overrides);
        IntentConfig config = TestModels.config(m);
        metrics = IntentMetrics.noop();
        registry = config.registryConfig();
        Properties props = StreamsProperties.forTopology(config, metrics);
        driver = new TopologyTestDriver(IntentTopology.build(config, live, metrics), props, Instant.ofEpochMilli(T0));
    }

    <T> TestInputTopic<String, T> in(Topic<String, T> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    }

    TestInputTopic<String, byte[]> rawInput(Topic<String, ?> topic) {
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    <T> TestOutputTopic<String, T> out(Topic<String, T> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(registry).deserializer());
    }

    /** The registry-framed bytes of {@code event} as written to {@code topic}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] encode(Topic<String, ?> topic, SpecificRecord event) {
        Serde serde = topic.valueSerde(registry);
        return serde.serializer().serialize(topic.name(), event);
    }

    void view(String user, String id, long t, String item) {
        in(Topics.BROWSE).pipeInput(user, TestEvents.view(id, user, t, item, null), t);
    }

    void tick() {
        driver.advanceWallClockTime(Duration.ofMillis(20));
    }

    double counter(String name, String tag, String value) {
        var c = metrics.registry().find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    TestOutputTopic<byte[], byte[]> deadLetters() {
        return driver.createOutputTopic(Topics.DEAD_LETTER.name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    KeyValueStore<Bytes, byte[]> rawSequences() {
        Object metered = driver.getKeyValueStore(StoreNames.SEQUENCES);
        return ((WrappedStateStore<KeyValueStore<Bytes, byte[]>, ?, ?>) metered).wrapped();
    }
}
