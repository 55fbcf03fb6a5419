package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring through the whole topology: coalesced micro-batches, per-event mode, duplicates and late events, a user whose state cannot be decoded, repartitioning, model hot swap. */
class ScoringTopologyTest extends TopologyFixture {
    @Test
    void scoresEveryDirtyUserOncePerIntervalOnTheNewestSequence() {
        start(Map.of());
        for (int i = 0; i < 5; i++) {
            view("u1", "e" + i, T0 - 60_000 + i * 1_000, vocab.get(i));
        }
        view("u2", "x1", T0 - 1_000, vocab.get(7));
        var scores = out(Topics.SCORES);
        assertThat(scores.isEmpty()).isTrue();
        tick();
        Map<String, IntentScore> byUser = scores.readKeyValuesToMap();
        assertThat(byUser).containsOnlyKeys("u1", "u2");
        IntentScore u1 = byUser.get("u1");
        assertThat(u1.getSequenceLength()).isEqualTo(5);
        assertThat(u1.getModelVersion()).isEqualTo(model.version());
        assertThat(u1.getPurchaseProbability()).isBetween(0.0, 1.0);
        assertThat(u1.getNextAction()).hasSize(6);
        assertThat(u1.getNextAction().stream().mapToDouble(a -> a.getProbability()).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(u1.getTopInfluences()).hasSize(3).allSatisfy(inf -> assertThat(inf.getEventId()).startsWith("e"));
        assertThat(u1.getNewestEventTime()).isEqualTo(Instant.ofEpochMilli(T0 - 56_000));
        assertThat(out(Topics.RECOMMENDATIONS).readKeyValuesToMap()).containsOnlyKeys("u1", "u2");
        KeyValueStore<String, LatestOutputs> latest = driver.getKeyValueStore(StoreNames.LATEST_OUTPUTS);
        assertThat(latest.get("u1").score()).isEqualTo(u1);
        assertThat(latest.get("u2").recommendation().getUserId()).isEqualTo("u2");
        assertThat(metrics.registry().get(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", "prefill").summary().count())
                .as("one scoring call for both (cold) users").isEqualTo(1);
        assertThat(metrics.registry().get(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", "recommend").summary().count())
                .as("and one recommend call").isEqualTo(1);
        assertThat(metrics.registry().get(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", "step").summary().count())
                .isZero();
        assertThat(counter(IntentMetrics.EVENTS_IN, "type", "browse")).isEqualTo(6);
        tick();
        assertThat(scores.isEmpty()).as("nothing dirty, nothing scored").isTrue();
    }

    @Test
    void perEventModeScoresEveryEventForComparison() {
        start(Map.of("scoring.mode", "per-event"));
        for (int i = 0; i < 4; i++) {
            view("u1", "e" + i, T0 - 10_000 + i, vocab.get(i));
        }
        assertThat(out(Topics.SCORES).readValuesToList()).extracting(IntentScore::getSequenceLength)
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void batchSizeTriggerScoresBeforeTheIntervalWhenMaxBatchUsersAreDirty() {
        start(Map.of("scoring.max.batch", "4"));
        for (int u = 0; u < 4; u++) {
            view("u" + u, "e" + u, T0 - 1_000, vocab.get(u));
        }
        assertThat(out(Topics.SCORES).readValuesToList()).hasSize(4);
    }

    @Test
    void dropsDuplicateEventIdsAndInsertsLateEventsByEventTime() {
        start(Map.of());
        view("u1", "a", T0 - 30_000, vocab.get(0));
        view("u1", "c", T0 - 10_000, vocab.get(2));
        view("u1", "c", T0 - 5_000, vocab.get(3));
        view("u1", "b", T0 - 20_000, vocab.get(1));
        tick();
        KeyValueStore<String, BehaviorSequence> seqs = driver.getKeyValueStore(StoreNames.SEQUENCES);
        assertThat(seqs.get("u1").events()).extracting(BehaviorEvent::eventId).containsExactly("a", "b", "c");
        assertThat(seqs.get("u1").events().get(2).itemId()).isEqualTo(vocab.get(2));
        assertThat(out(Topics.SCORES).readValue().getSequenceLength()).isEqualTo(3);
    }

    /**
     * State that cannot be decoded (written by an incompatible release, or damaged) is found when
     * the shopper's next event reads it: it is deleted and the shopper starts fresh, while everyone
     * else is scored as usual. (Between an event and its score the round uses the sequence the
     * event just stored, held decoded, so it never meets bytes it did not write.)
     */
    @Test
    void anUndecodableStoredSequenceIsDeletedAndItsShopperStartsFreshWhileEveryoneElseIsScored() {
        start(Map.of());
        view("u-corrupt", "e1", T0 - 3_000, vocab.get(0));
        view("u1", "e2", T0 - 2_000, vocab.get(1));
        tick();
        var scores = out(Topics.SCORES);
        assertThat(scores.readKeyValuesToMap()).containsOnlyKeys("u-corrupt", "u1");
        rawSequences().put(Bytes.wrap("u-corrupt".getBytes(StandardCharsets.UTF_8)), new byte[] {9, 9, 9});

        view("u-corrupt", "e4", T0, vocab.get(3));
        view("u2", "e3", T0 - 1_000, vocab.get(2));
        tick();
        Map<String, IntentScore> next = scores.readKeyValuesToMap();
        assertThat(next).containsOnlyKeys("u-corrupt", "u2");
        assertThat(next.get("u-corrupt").getSequenceLength()).as("starts fresh").isEqualTo(1);
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u-corrupt").events())
                .extracting(BehaviorEvent::eventId).containsExactly("e4");
        tick();
        assertThat(scores.isEmpty()).as("the fresh sequence is scored once").isTrue();
    }

    @Test
    void unkeyedInputIsRepartitionedByUserId() {
        start(Map.of("input.keyed.by.user", "false"));
        in(Topics.BROWSE).pipeInput((String) null, TestEvents.view("e1", "u9", T0 - 1_000, vocab.get(0), null));
        tick();
        assertThat(out(Topics.SCORES).readKeyValue().key).isEqualTo("u9");
        assertThat(deadLetters().isEmpty()).as("a null key is fine when input is not keyed by user").isTrue();
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.MISSING_KEY)).isZero();
    }

    @Test
    void hotSwapInstallsAValidNewVersionAndRejectsABrokenOneWhileServing(@TempDir Path models) throws Exception {
        Path v1 = TestModels.copyModelTo(models.resolve("v1"));
        IntentMetrics swapMetrics = IntentMetrics.noop();
        try (LiveModel live = TestModels.open(Map.of("model.dir", models.toString()), swapMetrics)) {
            start(Map.of("scoring.mode", "per-event"), live);
            Path v2 = TestModels.copyModelTo(models.resolve("v2"));
            Files.setLastModifiedTime(v2.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            assertThat(live.checkForNewVersion()).isTrue();
            assertThat(swapMetrics.registry().get(IntentMetrics.MODEL_SWAPS).tag("outcome", "success").counter().count()).isEqualTo(1);
            assertThat(live.checkForNewVersion()).as("same folder again").isFalse();

            Path v3 = TestModels.copyModelTo(models.resolve("v3"));
            Files.write(v3.resolve("step.onnx"), new byte[] {1, 2, 3, 4});
            Files.setLastModifiedTime(v3.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 120_000));
            assertThat(live.checkForNewVersion()).isFalse();
            Path v4 = TestModels.copyModelTo(models.resolve("v4"));
            ObjectNode parity = (ObjectNode) new ObjectMapper().readTree(v4.resolve("parity-fixtures.json").toFile());
            ObjectNode firstOutput = (ObjectNode) parity.get("users").get(0).get("outputs").get(0);
            firstOutput.put("purchase_prob", firstOutput.get("purchase_prob").asDouble() + 0.01);
            new ObjectMapper().writeValue(v4.resolve("parity-fixtures.json").toFile(), parity);
            Files.setLastModifiedTime(v4.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 180_000));
            assertThat(live.checkForNewVersion()).isFalse();
            assertThat(swapMetrics.registry().get(IntentMetrics.MODEL_SWAPS).tag("outcome", "rejected").counter().count()).isEqualTo(2);
            assertThat(live.isReady()).isTrue();

            view("u1", "e1", T0 - 1_000, vocab.get(0));
            assertThat(out(Topics.SCORES).readValue().getModelVersion()).isEqualTo(live.version());
            assertThat(v1).exists();
        }
    }
}
