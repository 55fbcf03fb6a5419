package io.intentstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.topology.BoundedRocksDbMemory;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
    private final IntentMetrics metrics = IntentMetrics.noop();

    @Test
    void exactlyOnceTheDeadLetterTopicAndItsHandlersAreTheDefaults() {
        var p = StreamsProperties.forTopology(IntentConfig.of(Map.of()), metrics);
        assertThat(p).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("application.id", "intent-stream")
                .containsEntry("errors.dead.letter.queue.topic.name", "intent.dlq.v1")
                .containsEntry("deserialization.exception.handler", "io.intentstream.ingest.DeadLetterDeserializationHandler")
                .containsEntry("processing.exception.handler", "io.intentstream.ingest.DeadLetterProcessingHandler")
                .containsEntry(DeadLetterReasons.METRICS_CONFIG, metrics)
                .containsEntry("rocksdb.config.setter", BoundedRocksDbMemory.class.getName())
                .containsEntry(BoundedRocksDbMemory.CACHE_BYTES_CONFIG, 64L << 20);
    }

    @Test
    void kafkaAndStreamsPrefixesPassThroughAndStreamsWins() {
        IntentConfig c = IntentConfig.load(null, Map.of("INTENTSTREAM_KAFKA_SASL_MECHANISM", "PLAIN",
                "INTENTSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), Map.of(
                "streams.num.stream.threads", "4", "kafka.bootstrap.servers", "b:9093",
                "streams.bootstrap.servers", "s:9094", "streams.processing.guarantee", "at_least_once"));
        assertThat(StreamsProperties.forTopology(c, metrics)).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("num.stream.threads", "4")
                .containsEntry("bootstrap.servers", "s:9094").containsEntry("processing.guarantee", "at_least_once")
                .doesNotContainKey("scoring.interval.ms");
    }

    @Test
    void producersCompressWithLz4UnlessTheOperatorChoseACompression() {
        assertThat(StreamsProperties.forTopology(IntentConfig.of(Map.of()), metrics))
                .containsEntry("producer.compression.type", "lz4").doesNotContainKey("compression.type");
        for (String key : List.of("kafka.compression.type", "streams.compression.type")) {
            assertThat(StreamsProperties.forTopology(IntentConfig.of(Map.of(key, "zstd")), metrics))
                    .as(key).containsEntry("compression.type", "zstd").doesNotContainKey("producer.compression.type");
        }
        for (String key : List.of("kafka.producer.compression.type", "streams.producer.compression.type")) {
            assertThat(StreamsProperties.forTopology(IntentConfig.of(Map.of(key, "none")), metrics))
                    .as(key).containsEntry("producer.compression.type", "none");
        }
    }

    @Test
    void anInstanceAdvertisesItselfUnlessTheOperatorSetTheApplicationServer() {
        HostInfo self = new HostInfo("10.0.0.7", 8080);
        assertThat(StreamsProperties.forInstance(IntentConfig.of(Map.of()), metrics, self))
                .containsEntry("application.server", "10.0.0.7:8080")
                .containsEntry(DeadLetterReasons.COUNTED_ON_COMMIT_CONFIG, "true");
        assertThat(StreamsProperties.forInstance(IntentConfig.of(Map.of("streams.processing.guarantee", "at_least_once")),
                metrics, self)).doesNotContainKey(DeadLetterReasons.COUNTED_ON_COMMIT_CONFIG);
        IntentConfig configured = IntentConfig.of(Map.of("streams.application.server", "pod-1.svc:9000"));
        assertThat(StreamsProperties.configuredServer(configured)).contains(new HostInfo("pod-1.svc", 9000));
        assertThat(StreamsProperties.forInstance(configured, metrics, self)).containsEntry("application.server", "pod-1.svc:9000");
    }
}
