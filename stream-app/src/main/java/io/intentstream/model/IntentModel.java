package io.intentstream.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.intentstream.model.ModelSignature.PrefillInput;
import io.intentstream.model.ModelSignature.RecommendInput;
import io.intentstream.model.ModelSignature.RecommendOutput;
import io.intentstream.model.ModelSignature.ScoreOutput;
import io.intentstream.model.ModelSignature.StepInput;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version: its prefill, step and recommend {@link OrtSession}s (safe to share
 * across stream threads) plus its sidecar. Reference-counted so a hot swap can retire it while calls are in
 * flight: the sessions close when the last in-flight call releases them.
 */
public final class IntentModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentModel.class);
    /** Outputs of prefill and step that ORT allocates; the K/V caches are pinned (written into our buffers). */
    private static final Set<String> ORT_ALLOCATED = Set.of(ScoreOutput.NEXT_ACTION_PROBS.tensorName(),
            ScoreOutput.PURCHASE_PROB.tensorName(), ScoreOutput.ATTENTION.tensorName(), ScoreOutput.HIDDEN.tensorName());

    private final OrtEnvironment env;
    private final OrtSession prefill;
    private final OrtSession step;
    private final OrtSession recommend;
    private final ModelSidecar sidecar;
    private final FeatureMapper features;
    private final Aggregates aggregates;
    private final StepInputs inputs;
    private final String provider;
    private final String source;
    /** In-flight calls + 1 while not retired. */
    private final AtomicInteger refs = new AtomicInteger(1);

    private IntentModel(OrtEnvironment env, OrtSession prefill, OrtSession step, OrtSession recommend, ModelSidecar sidecar,
                        String provider, String source) {
        this.env = env;
        this.prefill = prefill;
        this.step = step;
        this.recommend = recommend;
        this.sidecar = sidecar;
        this.features = new FeatureMapper(sidecar);
        this.aggregates = new Aggregates(sidecar);
        this.inputs = new StepInputs(sidecar);
        this.provider = provider;
        this.source = source;
    }

    /** Creates the three sessions and checks them against the sidecar; throws with the mismatch on failure. */
    public static IntentModel create(ModelArtifacts artifacts, ModelSidecar sidecar, String provider, int intraOpThreads)
            throws OrtException {
        OrtEnvironment env = OrtStartup.environment();
        List<OrtSession> opened = new ArrayList<>(3);
        try {
            for (byte[] graph : List.of(artifacts.prefill(), artifacts.step(), artifacts.recommend())) {
                opened.add(session(env, graph, provider, intraOpThreads));
            }
            IntentModel model = new IntentModel(env, opened.get(0), opened.get(1), opened.get(2), sidecar, provider,
                    artifacts.source());
            GraphSignature.check(model.prefill, PrefillInput.values(), ScoreOutput.values(), "prefill", sidecar);
            GraphSignature.check(model.step, StepInput.values(), ScoreOutput.values(), "step", sidecar);
            GraphSignature.check(model.recommend, RecommendInput.values(), RecommendOutput.values(), "recommend", sidecar);
            return model;
        } catch (RuntimeException | OrtException e) {
            for (OrtSession s : opened) { // the constructor's feature mapping can reject the sidecar too
                s.close();
            }
            throw e;
        }
    }

    private static OrtSession session(OrtEnvironment env, byte[] onnx, String provider, int intraOpThreads)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // Idle pool threads must not spin: the cores are shared with Kafka clients and RocksDB
            // (spinning cost about 3x the CPU of a step for no gain on 2 cores; BENCHMARKS.md).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            ExecutionProviders.apply(provider, options);
            return env.createSession(onnx, options);
        }
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw rejected(message);
        }
    }

    /**
     * The same failure as {@link #require}, for checks on the per-call path: there the caller tests
     * first and builds the message only on failure (a concatenated message costs on every call).
     */
    static IllegalStateException rejected(String message) {
        return new IllegalStateException("model rejected: " + message);
    }

    /** Takes a reference for one call; false when the model was retired meanwhile. */
    boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            closeSessions();
        }
    }

    /** Drops the owner's reference: the sessions close once in-flight calls are done. */
    void retire() {
        release();
    }

    @Override
    public void close() {
        retire();
    }

    boolean isClosed() {
        return refs.get() <= 0;
    }

    private void closeSessions() {
        for (OrtSession s : new OrtSession[] {prefill, step, recommend}) {
            try {
                s.close();
            } catch (OrtException e) {
                log.warn("closing a session of model {} failed", sidecar.modelVersion(), e);
            }
        }
        log.info("closed model {}", sidecar.modelVersion());
    }

    /** Cold users: a full pass over their stored events. The caller holds a reference (see {@link LiveModel#lease()}). */
    public ScoringOutput prefill(List<PrefillRow> rows, int padMultiple) throws OrtException {
        StepInputs.Prefill p = inputs.prefill(rows, padMultiple);
        long[] ids = {p.batch(), p.seq()};
        try (NativeResources scope = new NativeResources()) {
            Feeds feeds = new Feeds(env, scope)
                    .longs(PrefillInput.ACTION_IDS.tensorName(), p.actions(), ids)
                    .longs(PrefillInput.ITEM_IDS.tensorName(), p.items(), ids)
                    .longs(PrefillInput.CATEGORY_IDS.tensorName(), p.categories(), ids)
                    .longs(PrefillInput.GAP_BUCKETS.tensorName(), p.gaps(), ids)
                    .floats(PrefillInput.AGGREGATES.tensorName(), p.aggregates(), new long[] {p.batch(), Aggregates.COUNT});
            return run(prefill, feeds, scope, p.batch());
        }
    }

    /** Warm users: one new event each, against their caches. The caller holds a reference. */
    public ScoringOutput step(List<StepRow> rows) throws OrtException {
        int b = rows.size();
        ModelSidecar.Streaming st = sidecar.streaming();
        long[] cacheShape = {st.layers(), b, st.heads(), st.attentionWindow() - 1, st.headDim()};
        long[] one = {b};
        try (NativeResources scope = new NativeResources()) {
            Feeds feeds = new Feeds(env, scope);
            FloatBuffer k = feeds.reserve(st.cacheFloats() * b);
            FloatBuffer v = feeds.reserve(st.cacheFloats() * b);
            StepInputs.Step s = inputs.step(rows, k, v); // the caches go straight into the direct buffers
            feeds.add(StepInput.CACHE_K.tensorName(), k, cacheShape)
                    .add(StepInput.CACHE_V.tensorName(), v, cacheShape)
                    .longs(StepInput.HISTORY_LEN.tensorName(), s.historyLen(), one)
                    .longs(StepInput.ACTION_ID.tensorName(), s.actions(), one)
                    .longs(StepInput.ITEM_ID.tensorName(), s.items(), one)
                    .longs(StepInput.CATEGORY_ID.tensorName(), s.categories(), one)
                    .longs(StepInput.GAP_BUCKET.tensorName(), s.gaps(), one)
                    .floats(StepInput.AGGREGATES.tensorName(), s.aggregates(), new long[] {b, Aggregates.COUNT});
            return run(step, feeds, scope, b);
        }
    }

    /** Runs prefill or step with the K/V caches written into the thread's buffers (see {@link ScoringOutput}). */
    private ScoringOutput run(OrtSession graph, Feeds feeds, NativeResources scope, int b) throws OrtException {
        ModelSidecar.Streaming st = sidecar.streaming();
        long[] cacheShape = {st.layers(), b, st.heads(), st.attentionWindow() - 1, st.headDim()};
        FloatBuffer k = feeds.reserve(st.cacheFloats() * b);
        FloatBuffer v = feeds.reserve(st.cacheFloats() * b);
        feeds.pin(ScoreOutput.NEXT_CACHE_K.tensorName(), k, cacheShape).pin(ScoreOutput.NEXT_CACHE_V.tensorName(), v, cacheShape);
        OrtSession.Result r = scope.track(graph.run(feeds.tensors(), ORT_ALLOCATED, feeds.pinned()));
        int nA = sidecar.nextActions().size();
        int w = st.attentionWindow();
        int d = st.hiddenWidth();
        return new ScoringOutput(b, w, nA, OrtOutputs.floats(r, ScoreOutput.NEXT_ACTION_PROBS, b * nA),
                OrtOutputs.floats(r, ScoreOutput.PURCHASE_PROB, b), OrtOutputs.floats(r, ScoreOutput.ATTENTION, b * w), d,
                OrtOutputs.floats(r, ScoreOutput.HIDDEN, b * d), st.layers(), st.layerFloats(), k, v, feeds::isCurrent,
                sidecar.modelVersion());
    }

    /** Top-K next items for users whose recommendation is due. The caller holds a reference. */
    public Recommendations recommend(List<RecommendRow> rows) throws OrtException {
        StepInputs.Recommend r = inputs.recommend(rows);
        int b = r.batch();
        long[] window = {b, sidecar.streaming().receptiveField()};
        try (NativeResources scope = new NativeResources()) {
            Feeds feeds = new Feeds(env, scope)
                    .floats(RecommendInput.HIDDEN.tensorName(), r.hidden(), new long[] {b, sidecar.streaming().hiddenWidth()})
                    .floats(RecommendInput.AGGREGATES.tensorName(), r.aggregates(), new long[] {b, Aggregates.COUNT})
                    .longs(RecommendInput.WINDOW_ACTION_IDS.tensorName(), r.actions(), window)
                    .longs(RecommendInput.WINDOW_ITEM_IDS.tensorName(), r.items(), window)
                    .longs(RecommendInput.WINDOW_CATEGORY_IDS.tensorName(), r.categories(), window);
            OrtSession.Result out = scope.track(recommend.run(feeds.tensors()));
            int k = sidecar.topK();
            return new Recommendations(b, k, OrtOutputs.floats(out, RecommendOutput.TOPK_SCORES, b * k),
                    OrtOutputs.longs(out, RecommendOutput.TOPK_ITEM_IDS, b * k));
        }
    }

    public ModelSidecar sidecar() {
        return sidecar;
    }

    public FeatureMapper features() {
        return features;
    }

    public Aggregates aggregates() {
        return aggregates;
    }

    public String version() {
        return sidecar.modelVersion();
    }

    public String provider() {
        return provider;
    }

    public String source() {
        return source;
    }
}
