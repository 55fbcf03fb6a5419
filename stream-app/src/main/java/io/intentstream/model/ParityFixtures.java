package io.intentstream.model;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code parity-fixtures.json}: users replayed event by event in PyTorch, with the outputs after
 * every event (model-export/SERVING_V2.md). A model version is served only after ONNX Runtime,
 * driven by this build's code, reproduces them three ways: the gap buckets and aggregates computed
 * here from times and prices; a replay through {@code step} from an empty cache; and a
 * {@code prefill} over the newest stored events at every event (a cache rebuilt after a restart).
 * Both paths' hidden states go through {@code recommend} for the top-K items.
 */
public final class ParityFixtures {
    /** One fixture user: events as model ids (oldest first) and the expected values after each. */
    public record Case(String name, ModelInput events, long[] gapBuckets, float[][] aggregates, List<Expected> outputs) {}

    /** Outputs after one event. */
    public record Expected(double[] nextActionProbs, double purchaseProb, double[] topkScores, long[] topkItemIds,
                           double[] attention) {}

    /** The worst difference found and where. */
    public record Result(double maxDifference, String where) {}

    private ParityFixtures() {}

    public static List<Case> parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<Case> cases = new ArrayList<>();
        int u = 0;
        for (JsonNode user : root.path("users")) {
            JsonNode ev = user.get("events");
            int n = ev.size();
            long[] a = new long[n];
            long[] it = new long[n];
            long[] c = new long[n];
            long[] t = new long[n];
            float[] p = new float[n];
            for (int i = 0; i < n; i++) {
                JsonNode e = ev.get(i);
                a[i] = e.get("action").asLong();
                it[i] = e.get("item").asLong();
                c[i] = e.get("category").asLong();
                t[i] = e.get("time_ms").asLong();
                p[i] = (float) e.get("price").asDouble();
            }
            float[][] agg = new float[n][];
            List<Expected> outs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                agg[i] = floats(user.get("aggregates").get(i));
                JsonNode o = user.get("outputs").get(i);
                outs.add(new Expected(doubles(o.get("next_action_probs")), o.get("purchase_prob").asDouble(),
                        doubles(o.get("topk_scores")), longs(o.get("topk_item_ids")), doubles(o.get("attention"))));
            }
            cases.add(new Case("user " + u++ + " (" + n + " events)", new ModelInput(a, it, c, new long[n], t, p),
                    longs(user.get("gap_buckets")), agg, outs));
        }
        return cases;
    }

    /** Runs every check; throws on a gap bucket or top-K id mismatch, returns the largest |difference|. */
    public static Result check(IntentModel model, List<Case> cases, int padMultiple) throws OrtException {
        double worst = 0;
        String where = "-";
        ModelSidecar.Streaming st = model.sidecar().streaming();
        for (Case c : cases) {
            ModelInput in = withServingGaps(model.features(), c.events(), 0, c.events().length());
            for (int i = 1; i < in.length(); i++) {
                if (in.gapBuckets()[i] != c.gapBuckets()[i]) {
                    throw new IllegalStateException("parity " + c.name() + ": gap bucket of event " + i + " is "
                            + in.gapBuckets()[i] + ", the exporter's " + c.gapBuckets()[i]);
                }
            }
            float[] cacheK = new float[st.cacheFloats()];
            float[] cacheV = new float[st.cacheFloats()];
            for (int i = 0; i < in.length(); i++) {
                float[] agg = new float[Aggregates.COUNT];
                model.aggregates().write(in, i, agg, 0);
                double d = diff(agg, c.aggregates()[i]);
                StepRow row = new StepRow(cacheK, cacheV, i, in.actionIds()[i], in.itemIds()[i], in.categoryIds()[i],
                        in.gapBuckets()[i], agg);
                ScoringOutput step = model.step(List.of(row));
                cacheK = step.cacheK(0);
                cacheV = step.cacheV(0);
                int from = Math.max(0, i + 1 - model.sidecar().maxSeqLen());
                ModelInput stored = withServingGaps(model.features(), in, from, i + 1);
                d = Math.max(d, compare(model, step, stored, agg, c.outputs().get(i), c.name() + " step " + i));
                ScoringOutput full = model.prefill(List.of(new PrefillRow(stored, agg)), padMultiple);
                d = Math.max(d, compare(model, full, stored, agg, c.outputs().get(i), c.name() + " prefill " + i));
                if (d > worst) {
                    worst = d;
                    where = c.name() + " event " + i;
                }
            }
        }
        return new Result(worst, where);
    }

    /** Steps {@code from..to-1} as the scorer sees a stored window: its first step is a first event. */
    private static ModelInput withServingGaps(FeatureMapper f, ModelInput in, int from, int to) {
        long[] t = Arrays.copyOfRange(in.timesMs(), from, to);
        long[] g = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            g[i] = i == 0 ? f.sidecar().gapFirstEventId() : f.gapBucket(t[i] - t[i - 1]);
        }
        return new ModelInput(slice(in.actionIds(), from, to), slice(in.itemIds(), from, to), slice(in.categoryIds(), from, to),
                g, t, Arrays.copyOfRange(in.prices(), from, to));
    }

    /** Compares a one-row score and the recommendation made from its hidden state. */
    private static double compare(IntentModel model, ScoringOutput o, ModelInput stored, float[] agg, Expected e,
                                  String where) throws OrtException {
        Recommendations r = model.recommend(List.of(new RecommendRow(o.hidden(0), agg, stored)));
        if (!Arrays.equals(r.topkItemIds(), e.topkItemIds())) {
            throw new IllegalStateException("parity " + where + ": top-K item ids differ");
        }
        double d = diff(Arrays.copyOf(o.nextActionProbs(), o.nextActionCount()), e.nextActionProbs());
        d = Math.max(d, Math.abs(o.purchaseProb()[0] - e.purchaseProb()));
        d = Math.max(d, diff(r.topkScores(), e.topkScores()));
        return Math.max(d, diff(Arrays.copyOf(o.attention(), o.window()), e.attention()));
    }

    private static long[] slice(long[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }

    private static double diff(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        return worst;
    }

    private static double diff(float[] actual, float[] expected) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        return diff(actual, e);
    }

    private static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    private static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    private static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asLong();
        }
        return out;
    }
}
