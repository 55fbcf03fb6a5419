package io.intentstream.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.intentstream.model.ModelSignature.Input;
import io.intentstream.model.ModelSignature.Output;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version: an {@link OrtSession} (safe to share across stream threads) plus its
 * sidecar. Reference-counted so a hot swap can retire it while calls are in flight: the session is
 * closed when the last in-flight call releases it.
 */
public final class IntentModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntentModel.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelSidecar sidecar;
    private final FeatureMapper features;
    private final String provider;
    private final String source;
    /** ONNX tensor names, from the sidecar. */
    private final EnumMap<Input, String> in = new EnumMap<>(Input.class);
    private final EnumMap<Output, String> out = new EnumMap<>(Output.class);
    /** In-flight calls + 1 while not retired. */
    private final AtomicInteger refs = new AtomicInteger(1);

    private IntentModel(OrtEnvironment env, OrtSession session, ModelSidecar sidecar, String provider, String source) {
        this.env = env;
        this.session = session;
        this.sidecar = sidecar;
        this.features = new FeatureMapper(sidecar);
        this.provider = provider;
        this.source = source;
        for (Input i : Input.values()) {
            in.put(i, sidecar.inputs().get(i.sidecarKey));
        }
        for (Output o : Output.values()) {
            out.put(o, sidecar.outputs().get(o.sidecarKey));
        }
    }

    /** Creates the session and checks it against the sidecar; throws with the mismatch on failure. */
    public static IntentModel create(byte[] onnx, ModelSidecar sidecar, String provider, int intraOpThreads,
                                     String source) throws OrtException {
        OrtEnvironment env = OrtStartup.environment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            ExecutionProviders.apply(provider, options);
            session = env.createSession(onnx, options);
        }
        try {
            IntentModel model = new IntentModel(env, session, sidecar, provider, source);
            model.checkSignature();
            return model;
        } catch (RuntimeException | OrtException e) {
            session.close(); // the constructor's feature mapping can reject the sidecar too
            throw e;
        }
    }

    private void checkSignature() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (Input i : Input.values()) {
            String name = in.get(i);
            NodeInfo n = inputs.get(name);
            require(n != null, "ONNX model has no input '" + name + "' (inputs: " + inputs.keySet() + ")");
            TensorInfo t = (TensorInfo) n.getInfo();
            require(t.type == ai.onnxruntime.OnnxJavaType.INT64, "input " + name + " must be int64, is " + t.type);
            require(t.getShape().length == i.rank, "input " + name + " has rank " + t.getShape().length);
        }
        for (String name : out.values()) {
            require(outputs.containsKey(name), "ONNX model has no output '" + name + "' (outputs: " + outputs.keySet() + ")");
        }
        long[] nextShape = ((TensorInfo) outputs.get(out.get(Output.NEXT_ACTION_PROBS)).getInfo()).getShape();
        require(nextShape.length == 2 && (nextShape[1] < 0 || nextShape[1] == sidecar.nextActions().size()),
                "next_action_probs width differs from sidecar next_actions (" + sidecar.nextActions().size() + ")");
        long[] topShape = ((TensorInfo) outputs.get(out.get(Output.TOPK_ITEM_IDS)).getInfo()).getShape();
        require(topShape.length == 2 && (topShape[1] < 0 || topShape[1] == sidecar.topK()),
                "topk_item_ids width " + (topShape.length == 2 ? topShape[1] : -1) + " differs from sidecar top_k " + sidecar.topK());
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        checkMeta(meta, "model_version", sidecar.modelVersion());
        checkMeta(meta, "max_seq_len", Integer.toString(sidecar.maxSeqLen()));
        checkMeta(meta, "top_k", Integer.toString(sidecar.topK()));
        require(sidecar.topK() <= sidecar.items().vocab().size(), "top_k exceeds the item vocabulary");
    }

    private static void checkMeta(Map<String, String> meta, String key, String expected) {
        String v = meta.get(key);
        require(v == null || v.equals(expected),
                "ONNX metadata " + key + "=" + v + " differs from the sidecar's " + expected);
    }

    private static void require(boolean ok, String message) {
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
            closeSession();
        }
    }

    /** Drops the owner's reference: the session closes once in-flight calls are done. */
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

    private void closeSession() {
        try {
            session.close();
            log.info("closed model {}", sidecar.modelVersion());
        } catch (OrtException e) {
            log.warn("closing model {} failed", sidecar.modelVersion(), e);
        }
    }

    /** Runs one batch. The caller holds a reference (see {@link LiveModel#lease()}). */
    public ScoringOutput run(InputBatch batch) throws OrtException {
        int b = batch.batch;
        int s = batch.seq;
        long[] shape = {b, s};
        try (NativeResources scope = new NativeResources()) {
            Map<String, OnnxTensor> feeds = new HashMap<>(8);
            feeds.put(in.get(Input.ACTION_IDS), scope.track(OnnxTensor.createTensor(env, InputBatch.view(batch.actions, b * s), shape)));
            feeds.put(in.get(Input.ITEM_IDS), scope.track(OnnxTensor.createTensor(env, InputBatch.view(batch.items, b * s), shape)));
            feeds.put(in.get(Input.CATEGORY_IDS),
                    scope.track(OnnxTensor.createTensor(env, InputBatch.view(batch.categories, b * s), shape)));
            feeds.put(in.get(Input.GAP_BUCKETS), scope.track(OnnxTensor.createTensor(env, InputBatch.view(batch.gaps, b * s), shape)));
            feeds.put(in.get(Input.LENGTHS),
                    scope.track(OnnxTensor.createTensor(env, InputBatch.view(batch.lengths, b), new long[] {b})));
            OrtSession.Result result = scope.track(session.run(feeds));
            int k = sidecar.topK();
            int nA = sidecar.nextActions().size();
            return new ScoringOutput(b, s, k, nA, floats(result, Output.NEXT_ACTION_PROBS, b * nA),
                    floats(result, Output.PURCHASE_PROB, b), floats(result, Output.TOPK_SCORES, b * k),
                    longs(result, Output.TOPK_ITEM_IDS, b * k), floats(result, Output.ATTENTION, b * s), sidecar.modelVersion());
        }
    }

    private float[] floats(OrtSession.Result r, Output output, int expected) throws OrtException {
        String name = out.get(output);
        FloatBuffer fb = tensor(r, name).getFloatBuffer();
        require(fb.remaining() == expected, "output " + name + " has " + fb.remaining() + " values, expected " + expected);
        float[] a = new float[expected];
        fb.get(a);
        return a;
    }

    private long[] longs(OrtSession.Result r, Output output, int expected) throws OrtException {
        String name = out.get(output);
        LongBuffer lb = tensor(r, name).getLongBuffer();
        require(lb.remaining() == expected, "output " + name + " has " + lb.remaining() + " values, expected " + expected);
        long[] a = new long[expected];
        lb.get(a);
        return a;
    }

    private static OnnxTensor tensor(OrtSession.Result r, String name) {
        OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("missing output " + name));
        return (OnnxTensor) v;
    }

    public ModelSidecar sidecar() {
        return sidecar;
    }

    public FeatureMapper features() {
        return features;
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
