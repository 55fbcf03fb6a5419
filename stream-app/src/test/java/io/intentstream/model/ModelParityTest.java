package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.IntentConfig;
import io.intentstream.config.ModelSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelParityTest {
    static LiveModel model;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
    }

    /** Steps from an empty cache, and a prefill at every event, both reproduce PyTorch's per-event outputs. */
    @Test
    void stepByStepAndFullRecomputeBothReproduceEveryPyTorchOutputWithin1e4() throws Exception {
        List<ParityFixtures.Case> cases = TestModels.parityCases();
        assertThat(cases).as("a short user and one longer than the receptive field").hasSizeGreaterThanOrEqualTo(2);
        try (LiveModel.Lease lease = model.lease()) {
            int r = lease.model().sidecar().streaming().receptiveField();
            assertThat(cases).anySatisfy(c -> assertThat(c.events().length()).isGreaterThan(r));
            ParityFixtures.Result parity = ParityFixtures.check(lease.model(), cases, 8);
            assertThat(parity.maxDifference()).as(parity.where()).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void aCacheFromAnotherHistoryChangesTheStepsOutputs() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            IntentModel m = lease.model();
            ModelSidecar.Streaming st = m.sidecar().streaming();
            ModelInput in = views(m.sidecar(), 3);
            float[] agg = new float[Aggregates.COUNT];
            ScoringOutput warm = m.prefill(List.of(new PrefillRow(prefix(in, 2), agg)), 8);
            StepRow real = new StepRow(warm.cacheK(0), warm.cacheV(0), 2, in.actionIds()[2], in.itemIds()[2],
                    in.categoryIds()[2], in.gapBuckets()[2], agg);
            StepRow empty = new StepRow(new float[st.cacheFloats()], new float[st.cacheFloats()], 2, in.actionIds()[2],
                    in.itemIds()[2], in.categoryIds()[2], in.gapBuckets()[2], agg);
            ScoringOutput both = m.step(List.of(real, empty));
            ScoringOutput full = m.prefill(List.of(new PrefillRow(in, agg)), 8);
            assertThat(both.purchaseProb()[0]).isCloseTo(full.purchaseProb()[0], org.assertj.core.data.Offset.offset(1e-4f));
            // The recommendation from the step's hidden state equals the recompute's.
            Recommendations fromStep = m.recommend(List.of(new RecommendRow(both.hidden(0), agg, in)));
            Recommendations fromFull = m.recommend(List.of(new RecommendRow(full.hidden(0), agg, in)));
            assertThat(fromStep.topkItemIds()).containsExactly(fromFull.topkItemIds());
            assertThat(Arrays.copyOfRange(both.attention(), both.window(), 2 * both.window()))
                    .as("an empty cache attends to the new event only").isNotEqualTo(Arrays.copyOf(full.attention(), full.window()));
        }
    }

    @Test
    void theCachesOfACallAreReadableUntilTheThreadsNextCallAndNotAfter() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            IntentModel m = lease.model();
            ModelInput in = views(m.sidecar(), 3);
            float[] agg = new float[Aggregates.COUNT];
            ScoringOutput first = m.prefill(List.of(new PrefillRow(in, agg)), 8);
            float[] k = first.cacheK(0);
            float[] kAgain = first.cacheK(0);
            assertThat(kAgain).containsExactly(k);
            assertThat(k).as("written by ORT in place, not zeros").isNotEqualTo(new float[k.length]);
            ScoringOutput second = m.prefill(List.of(new PrefillRow(prefix(in, 2), agg)), 8);
            assertThatThrownBy(() -> first.cacheK(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("overwritten");
            assertThat(second.cacheK(0)).as("another history, another cache").isNotEqualTo(k);
        }
    }

    @Test
    void modelIsCheckedAgainstTheSidecarAndWarmBeforeReady() {
        assertThat(model.isReady()).isTrue();
        try (LiveModel.Lease lease = model.lease()) {
            ModelSidecar s = lease.model().sidecar();
            assertThat(lease.model().version()).isEqualTo(s.modelVersion()).startsWith("stream-");
            assertThat(s.nextActions()).hasSize(6);
            assertThat(s.items().vocab()).isNotEmpty();
            assertThat(s.streaming().receptiveField()).isLessThanOrEqualTo(s.maxSeqLen());
        }
        assertThat(model.provider()).isEqualTo("cpu");
    }

    @Test
    void scoringManyBatchesOnAllGraphsLeavesNoNativeTensorOpen() throws Exception {
        long before = NativeResources.open();
        try (LiveModel.Lease lease = model.lease()) {
            IntentModel m = lease.model();
            ModelSidecar s = m.sidecar();
            ModelSidecar.Streaming st = s.streaming();
            for (int i = 0; i < 100; i++) {
                List<PrefillRow> rows = new ArrayList<>();
                List<StepRow> steps = new ArrayList<>();
                List<RecommendRow> recs = new ArrayList<>();
                for (int r = 0; r < 1 + i % 16; r++) {
                    ModelInput in = views(s, 1 + (i + r) % s.maxSeqLen());
                    rows.add(new PrefillRow(in, new float[Aggregates.COUNT]));
                    int last = in.length() - 1;
                    steps.add(new StepRow(new float[st.cacheFloats()], new float[st.cacheFloats()], last, in.actionIds()[last],
                            in.itemIds()[last], in.categoryIds()[last], 2, new float[Aggregates.COUNT]));
                    recs.add(new RecommendRow(new float[st.hiddenWidth()], new float[Aggregates.COUNT], in));
                }
                assertThat(m.prefill(rows, 8).batch()).isEqualTo(rows.size());
                assertThat(m.step(steps).batch()).isEqualTo(steps.size());
                assertThat(m.recommend(recs).batch()).isEqualTo(recs.size());
            }
        }
        assertThat(NativeResources.open()).isEqualTo(before);
    }

    @Test
    void outOfRangeIdsAreScoredAsOovAndBadShapesRejectedBeforeTheCall() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            IntentModel m = lease.model();
            ModelSidecar s = m.sidecar();
            ModelInput in = views(s, 4);
            ModelInput odd = new ModelInput(in.actionIds(), new long[] {10_000_000L, -3, 10_000_000L, -3},
                    new long[] {-3, 10_000_000L, -3, 10_000_000L}, in.gapBuckets(), in.timesMs(), in.prices());
            long oovItem = s.items().oovId();
            long oovCat = s.categories().oovId();
            ModelInput oov = new ModelInput(in.actionIds(), new long[] {oovItem, oovItem, oovItem, oovItem},
                    new long[] {oovCat, oovCat, oovCat, oovCat}, in.gapBuckets(), in.timesMs(), in.prices());
            float[] agg = new float[Aggregates.COUNT];
            ScoringOutput o = m.prefill(List.of(new PrefillRow(odd, agg), new PrefillRow(oov, agg)), 8);
            assertThat(o.purchaseProb()[0]).isEqualTo(o.purchaseProb()[1]);
            ModelInput tooLong = views(s, s.maxSeqLen() + 1);
            assertThatThrownBy(() -> m.prefill(List.of(new PrefillRow(tooLong, agg)), 8)).hasMessageContaining("outside 1..");
            assertThatThrownBy(() -> m.step(List.of(new StepRow(new float[3], new float[3], 0, 1, 3, 3, 2, agg))))
                    .hasMessageContaining("cache of 3 floats");
            assertThatThrownBy(() -> m.recommend(List.of(new RecommendRow(new float[3], agg, in))))
                    .hasMessageContaining("hidden state of 3 floats");
        }
    }

    @Test
    void defaultProviderConfigIsAuto() {
        assertThat(IntentConfig.of(Map.of()).model().provider()).isEqualTo(ModelSettings.Provider.AUTO);
    }

    /** {@code n} views of the first catalogue item, 10 s apart. */
    static ModelInput views(ModelSidecar s, int n) {
        long[] a = new long[n];
        long[] it = new long[n];
        long[] c = new long[n];
        long[] g = new long[n];
        long[] t = new long[n];
        Arrays.fill(a, s.actionId("VIEW"));
        Arrays.fill(it, s.items().firstId());
        Arrays.fill(c, s.categories().firstId());
        Arrays.fill(g, new FeatureMapper(s).gapBucket(10_000));
        g[0] = s.gapFirstEventId();
        for (int i = 0; i < n; i++) {
            t[i] = 1_767_600_000_000L + 10_000L * i;
        }
        return new ModelInput(a, it, c, g, t, new float[n]);
    }

    private static ModelInput prefix(ModelInput in, int n) {
        return new ModelInput(Arrays.copyOf(in.actionIds(), n), Arrays.copyOf(in.itemIds(), n), Arrays.copyOf(in.categoryIds(), n),
                Arrays.copyOf(in.gapBuckets(), n), Arrays.copyOf(in.timesMs(), n), Arrays.copyOf(in.prices(), n));
    }
}
