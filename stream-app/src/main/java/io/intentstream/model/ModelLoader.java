package io.intentstream.model;

import ai.onnxruntime.OrtException;
import io.intentstream.config.ModelSettings;
import io.intentstream.config.ScoringSettings;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.sequence.StepAction;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns model artifacts into a servable {@link IntentModel}: session on the chosen provider,
 * signature check against the sidecar, parity against the version's own fixtures, warm-up. A model
 * that fails any step is closed and the failure thrown; nothing here decides which version to serve.
 */
final class ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final ModelSettings settings;
    private final ScoringSettings scoring;
    private final IntentMetrics metrics;
    /** Resolved provider; auto can still drop from cuda to cpu if a CUDA session cannot be created. */
    private volatile String provider;

    ModelLoader(ModelSettings settings, ScoringSettings scoring, IntentMetrics metrics) {
        this.settings = settings;
        this.scoring = scoring;
        this.metrics = metrics;
        this.provider = ExecutionProviders.resolve(settings.provider(), metrics);
    }

    String provider() {
        return provider;
    }

    /** Session + signature check + parity against the version's own fixtures + warm-up. */
    IntentModel load(ModelArtifacts artifacts) throws Exception {
        ModelSidecar sidecar = artifacts.parseSidecar();
        IntentModel model = createSession(artifacts, sidecar);
        try {
            List<ParityFixtures.Case> cases = artifacts.parseParity();
            if (cases.isEmpty() && artifacts.fromModelDir()) {
                throw new IllegalStateException(artifacts.source() + " has no " + ModelArtifacts.PARITY
                        + ": a model from model.dir is served only after it reproduces its exporter's outputs");
            }
            if (!cases.isEmpty()) {
                ParityFixtures.Result parity = ParityFixtures.check(model, cases, scoring.padMultiple());
                if (!(parity.maxDifference() <= settings.parityTolerance())) {
                    throw new IllegalStateException("model " + sidecar.modelVersion() + " fails its parity fixtures: max |diff| "
                            + parity.maxDifference() + " > " + settings.parityTolerance() + " at " + parity.where());
                }
            }
            warmUp(model, scoring.maxBatch(), scoring.padMultiple());
            return model;
        } catch (Exception e) {
            model.retire();
            throw e;
        }
    }

    /**
     * The CUDA probe only proves the provider library loads; creating a session can still fail (no
     * usable device, out of GPU memory). Under auto that falls back to CPU, like a failed probe.
     */
    private IntentModel createSession(ModelArtifacts artifacts, ModelSidecar sidecar) throws Exception {
        try {
            return IntentModel.create(artifacts, sidecar, provider, settings.intraOpThreads());
        } catch (Exception e) {
            if (!"cuda".equals(provider) || settings.provider() != ModelSettings.Provider.AUTO) {
                throw e;
            }
            log.warn("inference.provider=auto: CUDA session for {} failed ({}); scoring on CPU", artifacts.source(), e.getMessage());
            metrics.providerFallback();
            provider = "cpu";
            return IntentModel.create(artifacts, sidecar, provider, settings.intraOpThreads());
        }
    }

    /**
     * Runs prefill at each padded sequence length, step and recommend, each at batch 1 and at the max batch,
     * so live calls of those shapes pay no set-up; other batch sizes reuse the same kernels and
     * only pay a small first-call cost.
     */
    static void warmUp(IntentModel model, int maxBatch, int padMultiple) throws OrtException {
        ModelSidecar sidecar = model.sidecar();
        ModelSidecar.Streaming st = sidecar.streaming();
        List<Integer> seqs = new ArrayList<>();
        for (int s = padMultiple; s < sidecar.maxSeqLen(); s += padMultiple) {
            seqs.add(s);
        }
        seqs.add(sidecar.maxSeqLen());
        long view = sidecar.actionId(StepAction.VIEW.name());
        for (int b : new int[] {1, maxBatch}) {
            for (int s : seqs) {
                ModelInput in = views(s, view, sidecar);
                model.prefill(java.util.Collections.nCopies(b, new PrefillRow(in, new float[Aggregates.COUNT])), padMultiple);
            }
            ModelInput w = views(st.receptiveField(), view, sidecar);
            StepRow row = new StepRow(new float[st.cacheFloats()], new float[st.cacheFloats()], st.receptiveField() - 1,
                    view, sidecar.items().noneId(), sidecar.categories().noneId(), sidecar.gapFirstEventId(),
                    new float[Aggregates.COUNT]);
            model.step(java.util.Collections.nCopies(b, row));
            model.recommend(java.util.Collections.nCopies(b, new RecommendRow(new float[st.hiddenWidth()],
                    new float[Aggregates.COUNT], w)));
        }
    }

    private static ModelInput views(int n, long view, ModelSidecar sidecar) {
        long[] a = new long[n];
        long[] it = new long[n];
        long[] c = new long[n];
        long[] g = new long[n];
        java.util.Arrays.fill(a, view);
        java.util.Arrays.fill(it, sidecar.items().noneId());
        java.util.Arrays.fill(c, sidecar.categories().noneId());
        java.util.Arrays.fill(g, sidecar.gapFirstEventId());
        return new ModelInput(a, it, c, g, new long[n], new float[n]);
    }
}
