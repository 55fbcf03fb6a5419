package io.intentstream.topology;

import io.intentstream.config.IntentConfig;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.SearchEvent;
import io.intentstream.ingest.DeadLetterDeserializationHandler;
import io.intentstream.ingest.DeadLetterProcessingHandler;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.registry.serde.SpecificAvroSerde;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The intent-stream topology: browse/search/cart events are validated (invalid ones and
 * undecodable bytes go to the dead-letter topic through Kafka Streams' own handlers), optionally
 * repartitioned by user id, merged with erasure requests and handed to {@link IntentProcessor},
 * whose scores, recommendations and triggers are written to their topics.
 *
 * <pre>
 *  shop.browse.v1 ─validate─┐
 *  shop.search.v1 ─validate─┼─[by-user repartition]─ IntentProcessor ─┬─ intent.scores.v1
 *  shop.cart.v1   ─validate─┤      (sequences, dirty users,            ├─ intent.recommendations.v1
 *  shop.erasure.v1 ─────────┘       idle indexes, latest outputs)      └─ intent.triggers.v1
 * </pre>
 */
public final class IntentTopology {
    private IntentTopology() {}

    /** Builds the topology; the model must be open (see {@link LiveModel#open}). */
    public static Topology build(IntentConfig config, LiveModel model, IntentMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, Object> registry = config.registryConfig();
        EventValidator validator = new EventValidator(config);
        boolean keyedByUser = config.inputKeyedByUser();

        KStream<String, InboundEvent> browse = input(builder, Topics.BROWSE, "browse", BrowseEvent.class, registry,
                validator, keyedByUser, BrowseEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> search = input(builder, Topics.SEARCH, "search", SearchEvent.class, registry,
                validator, keyedByUser, SearchEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> cart = input(builder, Topics.CART, "cart", CartEvent.class, registry,
                validator, keyedByUser, CartEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> erasure = builder
                .stream(Topics.ERASURE, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("erasure-source"))
                .filter((user, ignored) -> user != null && !user.isBlank(), Named.as("erasure-keyed"))
                .peek((k, v) -> metrics.eventsIn("erasure").increment(), Named.as("erasure-count"))
                .mapValues((user, ignored) -> InboundEvent.erasure(user), Named.as("erasure-request"));

        addStores(builder);
        IntentScorer scorer = new IntentScorer(model, metrics, config.scoringMaxBatch(), config.scoringPadMultiple());
        KStream<String, Emitted> out = browse.merge(search, Named.as("merge-search")).merge(cart, Named.as("merge-cart"))
                .merge(erasure, Named.as("merge-erasure"))
                .process(() -> new IntentProcessor(config, model, scorer, metrics), Named.as("intent-processor"),
                        StoreNames.SEQUENCES, StoreNames.DIRTY_USERS, StoreNames.IDLE_INDEX, StoreNames.ABANDONMENT_INDEX,
                        StoreNames.LATEST_SCORES, StoreNames.LATEST_RECOMMENDATIONS);

        out.split(Named.as("output-"))
                .branch((k, v) -> Topics.SCORES.equals(v.topic()), Branched.withConsumer(s -> sink(s, Topics.SCORES,
                        IntentScore.class, registry), "scores"))
                .branch((k, v) -> Topics.RECOMMENDATIONS.equals(v.topic()), Branched.withConsumer(s -> sink(s,
                        Topics.RECOMMENDATIONS, Recommendation.class, registry), "recommendations"))
                .branch((k, v) -> Topics.TRIGGERS.equals(v.topic()), Branched.withConsumer(s -> sink(s, Topics.TRIGGERS,
                        IntentTrigger.class, registry), "triggers"))
                .noDefaultBranch();
        return builder.build();
    }

    private static <T extends SpecificRecord> KStream<String, InboundEvent> input(
            StreamsBuilder builder, String topic, String type, Class<T> cls, Map<String, Object> registry,
            EventValidator validator, boolean keyedByUser, Function<T, String> userOf,
            Function<T, InboundEvent> convert, IntentMetrics metrics) {
        Serde<T> serde = avro(cls, registry);
        KStream<String, T> valid = builder.stream(topic, Consumed.with(Serdes.String(), serde).withName(type + "-source"))
                .peek((k, v) -> metrics.eventsIn(type).increment(), Named.as(type + "-count"))
                .processValues(() -> new ValidatingProcessor<T>(validator), Named.as(type + "-validate"));
        if (!keyedByUser) {
            // The repartition topic is internal: registry-free Avro, so it needs no subject (works
            // with auto.register.schemas=false) and leaves nothing in the shared registry.
            valid = valid.selectKey((k, v) -> userOf.apply(v), Named.as(type + "-key-by-user"))
                    .repartition(Repartitioned.<String, T>as(type + "-by-user").withKeySerde(Serdes.String())
                            .withValueSerde(RawAvroSerde.of(cls)));
        }
        return valid.mapValues(convert::apply, Named.as(type + "-to-step"));
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void sink(KStream<String, Emitted> s, String topic, Class<T> cls,
                                                        Map<String, Object> registry) {
        String name = topic.replace('.', '-');
        s.mapValues(v -> (T) v.value(), Named.as(name + "-value"))
                .to(topic, Produced.with(Serdes.String(), avro(cls, registry)).withName(name + "-sink"));
    }

    /** The registry-framed Avro serde for a contract type, configured with the app's registry settings. */
    public static <T extends SpecificRecord> Serde<T> avro(Class<T> cls, Map<String, Object> registry) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(cls);
        serde.configure(registry, false);
        return serde;
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(store(StoreNames.SEQUENCES, Serdes.String(),
                io.intentstream.sequence.BehaviorSequenceCodec.serde(), true));
        builder.addStateStore(store(StoreNames.DIRTY_USERS, Serdes.String(), Serdes.Long(), false));
        builder.addStateStore(store(StoreNames.IDLE_INDEX, Serdes.Bytes(), Serdes.ByteArray(), false));
        builder.addStateStore(store(StoreNames.ABANDONMENT_INDEX, Serdes.Bytes(), Serdes.ByteArray(), false));
        builder.addStateStore(store(StoreNames.LATEST_SCORES, Serdes.String(), RawAvroSerde.of(IntentScore.class), true));
        builder.addStateStore(store(StoreNames.LATEST_RECOMMENDATIONS, Serdes.String(),
                RawAvroSerde.of(Recommendation.class), true));
    }

    /** Persistent RocksDB, changelogged (the default) so state survives a crash or a move. */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(String name, Serde<K> keys, Serde<V> values,
                                                                 boolean cached) {
        KeyValueBytesStoreSupplier supplier = Stores.persistentKeyValueStore(name);
        StoreBuilder<KeyValueStore<K, V>> b = Stores.keyValueStoreBuilder(supplier, keys, values).withLoggingEnabled(Map.of());
        return cached ? b.withCachingEnabled() : b.withCachingDisabled();
    }

    /**
     * StreamsConfig for this topology: {@link IntentConfig#streamsProperties()} plus the
     * dead-letter handlers wired to {@code metrics} (they are instantiated by Kafka Streams, so the
     * registry travels inside the config).
     */
    public static Properties streamsProperties(IntentConfig config, IntentMetrics metrics) {
        Properties p = config.streamsProperties();
        p.put(DeadLetterReasons.METRICS_CONFIG, metrics);
        return p;
    }
}
