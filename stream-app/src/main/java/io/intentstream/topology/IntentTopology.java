package io.intentstream.topology;

import io.intentstream.config.IntentConfig;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.SearchEvent;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.StepCache;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
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
        EventValidator validator = new EventValidator(config.ingest());
        boolean keyedByUser = config.ingest().inputKeyedByUser();

        KStream<String, InboundEvent> browse = input(builder, Topics.BROWSE, "browse", registry, validator, keyedByUser,
                BrowseEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> search = input(builder, Topics.SEARCH, "search", registry, validator, keyedByUser,
                SearchEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> cart = input(builder, Topics.CART, "cart", registry, validator, keyedByUser,
                CartEvent::getUserId, InboundEvent::from, metrics);
        KStream<String, InboundEvent> erasure = builder
                .stream(Topics.ERASURE.name(), Consumed.with(Topics.ERASURE.keySerde(), Topics.ERASURE.valueSerde(registry))
                        .withName("erasure-source"))
                .filter((user, ignored) -> user != null && !user.isBlank(), Named.as("erasure-keyed"))
                .peek((k, v) -> metrics.eventsIn("erasure").increment(), Named.as("erasure-count"))
                .mapValues((user, ignored) -> InboundEvent.erasure(user), Named.as("erasure-request"));

        addStores(builder);
        ScoringRound.BatchScorer scorer = ScoringRound.BatchScorer.of(new IntentScorer(metrics, config.scoring().maxBatch(),
                config.scoring().padMultiple(), new StepCache(config.scoring().cacheBytes())));
        KStream<String, Emitted<?>> out = browse.merge(search, Named.as("merge-search")).merge(cart, Named.as("merge-cart"))
                .merge(erasure, Named.as("merge-erasure"))
                .process(() -> new IntentProcessor(config, model, scorer, metrics), Named.as("intent-processor"),
                        StoreNames.SEQUENCES, StoreNames.LATEST_OUTPUTS);
        for (Topic<String, ?> topic : Topics.KEYED_OUTPUTS) {
            sink(out, topic, registry);
        }
        return builder.build();
    }

    private static <T extends SpecificRecord> KStream<String, InboundEvent> input(
            StreamsBuilder builder, Topic<String, T> topic, String type, Map<String, Object> registry,
            EventValidator validator, boolean keyedByUser, Function<T, String> userOf,
            Function<T, InboundEvent> convert, IntentMetrics metrics) {
        KStream<String, T> valid = builder.stream(topic.name(),
                        Consumed.with(topic.keySerde(), topic.valueSerde(registry)).withName(type + "-source"))
                .peek((k, v) -> metrics.eventsIn(type).increment(), Named.as(type + "-count"))
                .processValues(() -> new ValidatingProcessor<T>(validator), Named.as(type + "-validate"));
        if (!keyedByUser) {
            // The repartition topic is internal: registry-free Avro, so it needs no subject (works
            // with auto.register.schemas=false) and leaves nothing in the shared registry.
            valid = valid.selectKey((k, v) -> userOf.apply(v), Named.as(type + "-key-by-user"))
                    .repartition(Repartitioned.<String, T>as(type + "-by-user").withKeySerde(Serdes.String())
                            .withValueSerde(RawAvroSerde.of(topic.valueType())));
        }
        return valid.mapValues(convert::apply, Named.as(type + "-to-step"));
    }

    /**
     * Outputs are routed by their typed topic and written by {@link EmittedSerde}: in the topic's
     * registry framing, with a score or recommendation already encoded for the store not encoded again.
     */
    private static void sink(KStream<String, Emitted<?>> out, Topic<String, ?> topic, Map<String, Object> registry) {
        String name = topic.name().replace('.', '-');
        out.filter((k, e) -> e.topic().equals(topic), Named.as(name + "-route"))
                .to(topic.name(), Produced.with(topic.keySerde(), EmittedSerde.of(topic, registry)).withName(name + "-sink"));
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(store(StoreNames.SEQUENCES, Serdes.String(),
                io.intentstream.sequence.BehaviorSequenceCodec.serde()));
        builder.addStateStore(store(StoreNames.LATEST_OUTPUTS, Serdes.String(), LatestOutputs.serde()));
    }

    /**
     * Persistent RocksDB, changelogged (the default) so state survives a crash or a move. No Kafka
     * Streams record cache: an event writes its shopper's sequence once and a score writes the
     * latest outputs once, so there is nothing within a commit for it to merge in live traffic
     * (a shopper's events are seconds apart), the changelog stays at ≤ 2 records per event without
     * it, and its bookkeeping (sorted maps, LRU, flush at commit) was 12.6% of the stream
     * thread's time in a profile of the live benchmark (BENCHMARKS.md).
     */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, keys, values).withLoggingEnabled(Map.of()).withCachingDisabled();
    }
}
