package io.intentstream.topology;

import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorSequenceCodec;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A {@link MockProcessorContext} holding the processor's four stores in memory, so each part of the
 * stateful step runs alone with its punctuators driven by hand.
 */
final class ProcessorHarness {
    static final long T0 = 1_767_600_000_000L;

    final MockProcessorContext<String, Emitted<?>> context = new MockProcessorContext<>();

    ProcessorHarness() {
        context.setCurrentSystemTimeMs(T0);
        store(StoreNames.SEQUENCES, Serdes.String(), BehaviorSequenceCodec.serde());
        store(StoreNames.LATEST_OUTPUTS, Serdes.String(), LatestOutputs.serde());
    }

    private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    KeyValueStore<String, BehaviorSequence> sequences() {
        return context.getStateStore(StoreNames.SEQUENCES);
    }

    /** True when the stores say a score is owed (what survives a restart): more events accepted than scored. */
    boolean owed(String user) {
        BehaviorSequence seq = sequences().get(user);
        KeyValueStore<String, LatestOutputs> latest = context.getStateStore(StoreNames.LATEST_OUTPUTS);
        LatestOutputs o = latest.get(user);
        return seq != null && seq.accepted() > (o == null ? 0 : o.scoredThrough());
    }

    /** The latest outputs stored, decoded from their stored bytes, or null. */
    LatestOutputs latest(String user) {
        KeyValueStore<String, LatestOutputs> latest = context.getStateStore(StoreNames.LATEST_OUTPUTS);
        return latest.get(user);
    }

    /** The latest score stored for queries, or null. */
    IntentScore latestScore(String user) {
        LatestOutputs o = latest(user);
        return o == null ? null : o.score();
    }

    /** Keys forwarded to {@code topic}'s sink, in order. */
    List<String> forwardedTo(Object topic) {
        return context.forwarded().stream().filter(f -> f.record().value().topic().equals(topic))
                .<String>map(f -> f.record().key()).toList();
    }

    List<Emitted<?>> forwardedValues() {
        return context.forwarded().stream().<Emitted<?>>map(f -> f.record().value()).toList();
    }
}
