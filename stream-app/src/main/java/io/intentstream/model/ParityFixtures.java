package io.intentstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code parity-fixtures.json}: inputs and the PyTorch outputs ONNX Runtime must reproduce. A new
 * model version is only served after it reproduces its own fixtures.
 */
public final class ParityFixtures {
    /** One fixture case: padded inputs [B][S] and expected outputs, flattened row-major. */
    public record Case(String name, long[][] actionIds, long[][] itemIds, long[][] categoryIds, long[][] gapBuckets,
                       long[] lengths, double[] nextActionProbs, double[] purchaseProb, double[] topkScores,
                       long[] topkItemIds, double[] attention) {}

    private ParityFixtures() {}

    public static List<Case> parse(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root) {
            JsonNode in = c.get("inputs");
            JsonNode out = c.get("outputs");
            cases.add(new Case(c.path("name").asText(), matrix(in.get("action_ids")), matrix(in.get("item_ids")),
                    matrix(in.get("category_ids")), matrix(in.get("gap_buckets")), longs(in.get("lengths")),
                    doubles(out.get("next_action_probs")), doubles(out.get("purchase_prob")),
                    doubles(out.get("topk_scores")), longs(out.get("topk_item_ids")), doubles(out.get("attention"))));
        }
        return cases;
    }

    private static long[][] matrix(JsonNode n) {
        long[][] m = new long[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            m[i] = longs(n.get(i));
        }
        return m;
    }

    private static long[] longs(JsonNode n) {
        List<Long> out = new ArrayList<>();
        flatten(n, v -> out.add(v.asLong()));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static double[] doubles(JsonNode n) {
        List<Double> out = new ArrayList<>();
        flatten(n, v -> out.add(v.asDouble()));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(JsonNode n, java.util.function.Consumer<JsonNode> sink) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, sink));
        } else {
            sink.accept(n);
        }
    }

    /** Runs every case; returns the largest absolute difference, or throws on a top-K id mismatch. */
    public static double maxDifference(IntentModel model, List<Case> cases) throws ai.onnxruntime.OrtException {
        double worst = 0;
        for (Case c : cases) {
            InputBatch batch = new InputBatch(c.lengths().length, Math.max(c.actionIds()[0].length, 1));
            batch.fillPadded(c.actionIds(), c.itemIds(), c.categoryIds(), c.gapBuckets(), c.lengths());
            ScoringOutput o = model.run(batch);
            worst = Math.max(worst, diff(o.nextActionProbs(), c.nextActionProbs()));
            worst = Math.max(worst, diff(o.purchaseProb(), c.purchaseProb()));
            worst = Math.max(worst, diff(o.topkScores(), c.topkScores()));
            worst = Math.max(worst, diff(o.attention(), c.attention()));
            if (!java.util.Arrays.equals(o.topkItemIds(), c.topkItemIds())) {
                throw new IllegalStateException("parity case " + c.name() + ": top-K item ids differ");
            }
        }
        return worst;
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
}
