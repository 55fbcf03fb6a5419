package io.intentstream.topology;

import io.intentstream.intent.IntentTrigger;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Hands the processor's outputs to the topology's sinks, each tagged with its typed topic. */
final class OutputForwarder {
    private final ProcessorContext<String, Emitted<?>> context;
    private final IntentMetrics metrics;

    OutputForwarder(ProcessorContext<String, Emitted<?>> context, IntentMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** {@code latest}: the outputs as stored, whose Avro encodings the sinks reuse. */
    void scored(String user, OutputAssembler.ShopperOutputs outputs, LatestOutputs latest, long nowMs) {
        forward(user, new Emitted<>(Topics.SCORES, outputs.score(), latest.encodedScore()), nowMs);
        outputs.recommendation().ifPresent(r -> forward(user,
                new Emitted<>(Topics.RECOMMENDATIONS, r, latest.encodedRecommendation()), nowMs));
        outputs.trigger().ifPresent(t -> trigger(user, t, nowMs));
        metrics.scoresEmitted(1);
    }

    void trigger(String user, IntentTrigger trigger, long nowMs) {
        forward(user, new Emitted<>(Topics.TRIGGERS, trigger), nowMs);
        metrics.trigger(trigger.getTriggerType().name());
    }

    /** A tombstone for the user on every keyed output (right to erasure). */
    void tombstones(String user, long nowMs) {
        for (Topic<String, ?> topic : Topics.KEYED_OUTPUTS) {
            forward(user, Emitted.tombstone(topic), nowMs);
        }
    }

    private void forward(String user, Emitted<?> emitted, long nowMs) {
        context.forward(new Record<>(user, emitted, nowMs));
    }
}
