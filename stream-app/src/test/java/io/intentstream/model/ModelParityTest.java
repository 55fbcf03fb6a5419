package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.config.ModelSettings;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelParityTest {
    static LiveModel model;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
    }

    @Test
    void onnxRuntimeReproducesEveryPyTorchOutputWithin1e4AndTopKIdsExactly() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            double diff = ParityFixtures.maxDifference(lease.model(), TestModels.parityCases());
            assertThat(diff).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void modelIsCheckedAgainstTheSidecarAndWarmBeforeReady() {
        assertThat(model.isReady()).isTrue();
        try (LiveModel.Lease lease = model.lease()) {
            ModelSidecar s = lease.model().sidecar();
            assertThat(lease.model().version()).isEqualTo(s.modelVersion()).startsWith("sasrec-");
            assertThat(s.nextActions()).hasSize(6);
            assertThat(s.items().vocab()).isNotEmpty();
        }
        assertThat(model.provider()).isEqualTo("cpu");
    }

    @Test
    void scoringManyBatchesLeavesNoNativeTensorOpen() throws Exception {
        long before = NativeResources.open();
        try (LiveModel.Lease lease = model.lease()) {
            ModelSidecar s = lease.model().sidecar();
            InputBatch batch = new InputBatch(32, s.maxSeqLen());
            for (int i = 0; i < 300; i++) {
                int n = 1 + i % 32;
                java.util.List<ModelInput> inputs = new java.util.ArrayList<>();
                for (int r = 0; r < n; r++) {
                    int len = 1 + (i + r) % s.maxSeqLen();
                    long[] a = new long[len];
                    long[] it = new long[len];
                    long[] c = new long[len];
                    long[] g = new long[len];
                    java.util.Arrays.fill(a, 1);
                    java.util.Arrays.fill(it, s.items().firstId());
                    java.util.Arrays.fill(c, s.categories().firstId());
                    java.util.Arrays.fill(g, 2);
                    inputs.add(new ModelInput(a, it, c, g));
                }
                batch.fill(inputs, 8, s);
                assertThat(batch.seq() % 8 == 0 || batch.seq() == s.maxSeqLen()).isTrue();
                lease.model().run(batch);
            }
        }
        assertThat(NativeResources.open()).isEqualTo(before);
    }

    @Test
    void outOfRangeIdsAreMappedToOovAndOverlongInputsTruncatedBeforeTheCall() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            ModelSidecar s = lease.model().sidecar();
            int len = s.maxSeqLen() + 5;
            long[] a = new long[len];
            long[] it = new long[len];
            long[] c = new long[len];
            long[] g = new long[len];
            java.util.Arrays.fill(a, 1);
            java.util.Arrays.fill(it, 10_000_000L);
            java.util.Arrays.fill(c, -3);
            java.util.Arrays.fill(g, 2);
            InputBatch batch = new InputBatch(1, s.maxSeqLen());
            batch.fill(java.util.List.of(new ModelInput(a, it, c, g)), 8, s);
            assertThat(batch.seq()).isEqualTo(s.maxSeqLen());
            ScoringOutput o = lease.model().run(batch);
            assertThat(o.purchaseProb()[0]).isBetween(0f, 1f);
        }
    }

    @Test
    void defaultProviderConfigIsAuto() {
        assertThat(IntentConfig.of(Map.of()).model().provider()).isEqualTo(ModelSettings.Provider.AUTO);
    }
}
