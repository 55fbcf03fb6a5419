package io.intentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.intentstream.model.ModelSignature.Output;
import io.intentstream.model.ModelSignature.PrefillInput;
import io.intentstream.model.ModelSignature.StepInput;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version: its prefill and step {@link OrtSession}s (safe to share across stream
 * threads) plus its sidecar. Reference-counted so a hot swap can retire it while calls are in
 * flight: the sessions close when the last in-flight call releases them.
 */
public final class IntentModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentModel.class);

    private final OrtEnvironment env;
    private final OrtSession prefill;
    private final OrtSession step;
    private final ModelSidecar sidecar;
    private final FeatureMapper features;
    private final Aggregates aggregates;
    private final StepInputs inputs;
    private final String provider;
    private final String source;
    /** In-flight calls + 1 while not retired. */
    private final AtomicInteger refs = new AtomicInteger(1);

    private IntentModel(OrtEnvironment env, OrtSession prefill, OrtSession step, ModelSidecar sidecar, String provider,
                        String source) {
        this.env = env;
        this.prefill = prefill;
        this.step = step;
        this.sidecar = sidecar;
        this.features = new FeatureMapper(sidecar);
        this.aggregates = new Aggregates(sidecar);
        this.inputs = new StepInputs(sidecar);
        this.provider = provider;
        this.source = source;
    }

    /** Creates both sessions and checks them against the sidecar; throws with the mismatch on failure. */
    public static IntentModel create(ModelArtifacts artifacts, ModelSidecar sidecar, String provider, int intraOpThreads)
            throws OrtException {
        OrtEnvironment env = OrtStartup.environment();
        OrtSession prefill = session(env, artifacts.prefill(), provider, intraOpThreads);
        OrtSession step;
        try {
            step = session(env, artifacts.step(), provider, intraOpThreads);
        } catch (OrtException | RuntimeException e) {
            prefill.close();
            throw e;
        }
        try {
            IntentModel model = new IntentModel(env, prefill, step, sidecar, provider, artifacts.source());
            GraphSignature.check(prefill, PrefillInput.values(), "prefill", sidecar);
            GraphSignature.check(step, StepInput.values(), "step", sidecar);
            return model;
        } catch (RuntimeException | OrtException e) {
            prefill.close(); // the constructor's feature mapping can reject the sidecar too
            step.close();
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
        for (OrtSession s : new OrtSession[] {prefill, step}) {
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
        long[] window = {b, st.receptiveField()};
        try (NativeResources scope = new NativeResources()) {
            Map<String, OnnxTensor> feeds = new HashMap<>(12);
            feeds.put(StepInput.CACHE_K.tensorName(), floats(scope, s.cacheK(), cacheShape));
            feeds.put(StepInput.CACHE_V.tensorName(), floats(scope, s.cacheV(), cacheShape));
            feeds.put(StepInput.HISTORY_LEN.tensorName(), longs(scope, s.historyLen(), new long[] {b}));
            feeds.put(StepInput.GAP_BUCKET.tensorName(), longs(scope, s.gap(), new long[] {b}));
            feeds.put(StepInput.AGGREGATES.tensorName(), floats(scope, s.aggregates(), new long[] {b, Aggregates.COUNT}));
            feeds.put(StepInput.WINDOW_ACTION_IDS.tensorName(), longs(scope, s.actions(), window));
            feeds.put(StepInput.WINDOW_ITEM_IDS.tensorName(), longs(scope, s.items(), window));
            feeds.put(StepInput.WINDOW_CATEGORY_IDS.tensorName(), longs(scope, s.categories(), window));
            return read(scope.track(step.run(feeds)), b);
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
        int k = sidecar.topK();
        int nA = sidecar.nextActions().size();
        int w = st.attentionWindow();
        int cache = st.layers() * b * st.layerFloats();
        return new ScoringOutput(b, w, k, nA, floats(r, Output.NEXT_ACTION_PROBS, b * nA), floats(r, Output.PURCHASE_PROB, b),
                floats(r, Output.TOPK_SCORES, b * k), longs(r, Output.TOPK_ITEM_IDS, b * k), floats(r, Output.ATTENTION, b * w),
                st.layers(), st.layerFloats(), floats(r, Output.NEXT_CACHE_K, cache), floats(r, Output.NEXT_CACHE_V, cache),
                sidecar.modelVersion());
    }

    private static float[] floats(OrtSession.Result r, Output output, int expected) throws OrtException {
        FloatBuffer fb = tensor(r, output).getFloatBuffer();
        require(fb.remaining() == expected, "output " + output.tensorName() + " has " + fb.remaining() + " values, expected " + expected);
        float[] a = new float[expected];
        fb.get(a);
        return a;
    }

    private static long[] longs(OrtSession.Result r, Output output, int expected) throws OrtException {
        LongBuffer lb = tensor(r, output).getLongBuffer();
        require(lb.remaining() == expected, "output " + output.tensorName() + " has " + lb.remaining() + " values, expected " + expected);
        long[] a = new long[expected];
        lb.get(a);
        return a;
    }

    private static OnnxTensor tensor(OrtSession.Result r, Output output) {
        OnnxValue v = r.get(output.tensorName()).orElseThrow(() -> new IllegalStateException("missing output " + output.tensorName()));
        return (OnnxTensor) v;
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
