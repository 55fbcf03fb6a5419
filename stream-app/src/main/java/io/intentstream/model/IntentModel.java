package io.intentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.intentstream.model.ModelSignature.PrefillInput;
import io.intentstream.model.ModelSignature.RecommendInput;
import io.intentstream.model.ModelSignature.RecommendOutput;
import io.intentstream.model.ModelSignature.ScoreOutput;
import io.intentstream.model.ModelSignature.StepInput;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            throw new IllegalStateException("model rejected: " + message);
        }
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
            Map<String, OnnxTensor> feeds = new HashMap<>(8);
            feeds.put(PrefillInput.ACTION_IDS.tensorName(), longs(scope, p.actions(), ids));
            feeds.put(PrefillInput.ITEM_IDS.tensorName(), longs(scope, p.items(), ids));
            feeds.put(PrefillInput.CATEGORY_IDS.tensorName(), longs(scope, p.categories(), ids));
            feeds.put(PrefillInput.GAP_BUCKETS.tensorName(), longs(scope, p.gaps(), ids));
            feeds.put(PrefillInput.AGGREGATES.tensorName(), floats(scope, p.aggregates(), new long[] {p.batch(), Aggregates.COUNT}));
            return read(scope.track(prefill.run(feeds)), p.batch());
        }
    }

    /** Warm users: one new event each, against their caches. The caller holds a reference. */
    public ScoringOutput step(List<StepRow> rows) throws OrtException {
        StepInputs.Step s = inputs.step(rows);
        int b = s.batch();
        ModelSidecar.Streaming st = sidecar.streaming();
        long[] cacheShape = {st.layers(), b, st.heads(), st.attentionWindow() - 1, st.headDim()};
        long[] one = {b};
        try (NativeResources scope = new NativeResources()) {
            Map<String, OnnxTensor> feeds = new HashMap<>(12);
            feeds.put(StepInput.CACHE_K.tensorName(), floats(scope, s.cacheK(), cacheShape));
            feeds.put(StepInput.CACHE_V.tensorName(), floats(scope, s.cacheV(), cacheShape));
            feeds.put(StepInput.HISTORY_LEN.tensorName(), longs(scope, s.historyLen(), one));
            feeds.put(StepInput.ACTION_ID.tensorName(), longs(scope, s.actions(), one));
            feeds.put(StepInput.ITEM_ID.tensorName(), longs(scope, s.items(), one));
            feeds.put(StepInput.CATEGORY_ID.tensorName(), longs(scope, s.categories(), one));
            feeds.put(StepInput.GAP_BUCKET.tensorName(), longs(scope, s.gaps(), one));
            feeds.put(StepInput.AGGREGATES.tensorName(), floats(scope, s.aggregates(), new long[] {b, Aggregates.COUNT}));
            return read(scope.track(step.run(feeds)), b);
        }
    }

    /** Top-K next items for users whose recommendation is due. The caller holds a reference. */
    public Recommendations recommend(List<RecommendRow> rows) throws OrtException {
        StepInputs.Recommend r = inputs.recommend(rows);
        int b = r.batch();
        long[] window = {b, sidecar.streaming().receptiveField()};
        try (NativeResources scope = new NativeResources()) {
            Map<String, OnnxTensor> feeds = new HashMap<>(8);
            feeds.put(RecommendInput.HIDDEN.tensorName(), floats(scope, r.hidden(),
                    new long[] {b, sidecar.streaming().hiddenWidth()}));
            feeds.put(RecommendInput.AGGREGATES.tensorName(), floats(scope, r.aggregates(), new long[] {b, Aggregates.COUNT}));
            feeds.put(RecommendInput.WINDOW_ACTION_IDS.tensorName(), longs(scope, r.actions(), window));
            feeds.put(RecommendInput.WINDOW_ITEM_IDS.tensorName(), longs(scope, r.items(), window));
            feeds.put(RecommendInput.WINDOW_CATEGORY_IDS.tensorName(), longs(scope, r.categories(), window));
            OrtSession.Result out = scope.track(recommend.run(feeds));
            int k = sidecar.topK();
            return new Recommendations(b, k, OrtOutputs.floats(out, RecommendOutput.TOPK_SCORES, b * k),
                    OrtOutputs.longs(out, RecommendOutput.TOPK_ITEM_IDS, b * k));
        }
    }

    private OnnxTensor longs(NativeResources scope, long[] data, long[] shape) throws OrtException {
        return scope.track(OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
    }

    private OnnxTensor floats(NativeResources scope, float[] data, long[] shape) throws OrtException {
        return scope.track(OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape));
    }

    private ScoringOutput read(OrtSession.Result r, int b) throws OrtException {
        ModelSidecar.Streaming st = sidecar.streaming();
        int nA = sidecar.nextActions().size();
        int w = st.attentionWindow();
        int d = st.hiddenWidth();
        int cache = st.layers() * b * st.layerFloats();
        return new ScoringOutput(b, w, nA, OrtOutputs.floats(r, ScoreOutput.NEXT_ACTION_PROBS, b * nA),
                OrtOutputs.floats(r, ScoreOutput.PURCHASE_PROB, b), OrtOutputs.floats(r, ScoreOutput.ATTENTION, b * w), d,
                OrtOutputs.floats(r, ScoreOutput.HIDDEN, b * d), st.layers(), st.layerFloats(), OrtOutputs.floats(r, ScoreOutput.NEXT_CACHE_K, cache),
                OrtOutputs.floats(r, ScoreOutput.NEXT_CACHE_V, cache), sidecar.modelVersion());
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
