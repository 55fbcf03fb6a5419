package io.intentstream.app;

import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.DeadLetterDeserializationHandler;
import io.intentstream.ingest.DeadLetterProcessingHandler;
import io.intentstream.ingest.DeadLetterProductionHandler;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import io.intentstream.topology.BoundedRocksDbMemory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The one place StreamsConfig (and the app's admin client config) is assembled: {@code kafka.*} then {@code streams.*} (streams wins),
 * exactly-once and the application id unless overridden, the dead-letter topic, our dead-letter
 * handlers and their size bound, the bounded RocksDB memory, and the metrics those handlers count into (Kafka Streams instantiates the handlers, so
 * the registry travels inside the config), and the producers' compression. Used by the app, the topology tests and benchmarks alike.
 */
public final class StreamsProperties {
    /**
     * The app's producers compress unless the operator chose ({@code kafka.compression.type},
     * {@code kafka.producer.compression.type}, {@code streams.compression.type} or
     * {@code streams.producer.compression.type}); outputs and dead letters too. Most of what
     * they send is the changelog's whole behaviour sequence per event (about 3 KB at a full
     * window). lz4 sends 2.3-2.6 times fewer bytes (to the brokers and their replicas) for CPU
     * within the live benchmark's run-to-run spread (BENCHMARKS.md). Set in code, not in the
     * defaults file, so that an unprefixed {@code compression.type} still applies to the producers.
     */
    static final String DEFAULT_COMPRESSION = "lz4";
    private static final String COMPRESSION = ProducerConfig.COMPRESSION_TYPE_CONFIG;
    private static final String PRODUCER_COMPRESSION = StreamsConfig.producerPrefix(COMPRESSION);

    private StreamsProperties() {}

    /** Everything a topology run needs (a TopologyTestDriver too); no {@code application.server}. */
    public static Properties forTopology(IntentConfig config, IntentMetrics metrics) {
        Properties p = new Properties();
        p.putAll(config.withPrefix("kafka."));
        p.putAll(config.withPrefix("streams."));
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
        p.putIfAbsent("deserialization.exception.handler",
                DeadLetterDeserializationHandler.class.getName());
        p.putIfAbsent("processing.exception.handler", DeadLetterProcessingHandler.class.getName());
        p.putIfAbsent("production.exception.handler", DeadLetterProductionHandler.class.getName());
        p.putIfAbsent(DeadLetterReasons.MAX_VALUE_BYTES_CONFIG, config.ingest().dlqMaxValueBytes());
        p.putIfAbsent(DeadLetterProcessingHandler.MAX_ERRORS_PER_MINUTE_CONFIG, config.ingest().maxProcessingErrorsPerMinute());
        p.putIfAbsent("rocksdb.config.setter", BoundedRocksDbMemory.class.getName());
        p.putIfAbsent(BoundedRocksDbMemory.CACHE_BYTES_CONFIG, config.state().rocksdbCacheBytes());
        p.putIfAbsent(BoundedRocksDbMemory.MEMTABLE_BYTES_CONFIG, config.state().rocksdbMemtableBytes());
        if (!p.containsKey(COMPRESSION) && !p.containsKey(PRODUCER_COMPRESSION)) {
            p.put(PRODUCER_COMPRESSION, DEFAULT_COMPRESSION);
        }
        p.put(DeadLetterReasons.METRICS_CONFIG, metrics);
        return p;
    }

    /**
     * For a running instance: {@link #forTopology} plus where peers reach it for interactive queries
     * and, under exactly-once, that the producers count dead letters when their transaction commits.
     */
    public static Properties forInstance(IntentConfig config, IntentMetrics metrics, HostInfo self) {
        Properties p = forTopology(config, metrics);
        p.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        if (!StreamsConfig.AT_LEAST_ONCE.equals(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            // Dead letters are counted by the producer when their transaction commits (see DeadLetterCounts).
            p.put(DeadLetterReasons.COUNTED_ON_COMMIT_CONFIG, "true");
        }
        return p;
    }

    /** An admin client next to the app (pre-flight check, topic creation): {@code kafka.*} and our client id. */
    static Map<String, Object> admin(IntentConfig config) {
        Map<String, Object> admin = new HashMap<>(config.kafkaClientConfig());
        admin.putIfAbsent("client.id", "intentstream-admin");
        return admin;
    }

    /** {@code streams.application.server} when the operator set it. */
    static Optional<HostInfo> configuredServer(IntentConfig config) {
        String configured = config.withPrefix("streams.").get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return configured == null || configured.isBlank() ? Optional.empty()
                : Optional.of(HostInfo.buildFromEndpoint(configured.trim()));
    }
}
