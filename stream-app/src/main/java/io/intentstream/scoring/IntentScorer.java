package io.intentstream.scoring;

import ai.onnxruntime.OrtException;
import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.intent.NextAction;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.FeatureMapper;
import io.intentstream.model.InputBatch;
import io.intentstream.model.IntentModel;
import io.intentstream.model.ModelInput;
import io.intentstream.model.ScoringOutput;
import io.intentstream.recommend.RankedItem;
import io.intentstream.sequence.BehaviorEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores many users in one ONNX Runtime call. Feature mapping uses the sidecar of the model that
 * runs the call, so a hot swap never mixes vocabularies. Input buffers are direct and reused per
 * thread (ORT reads them in place).
 *
 * <p><b>Influences</b> (explainability): the model returns the last layer's attention from the
 * last valid position, averaged over heads. A causal softmax row sums to 1 over the valid steps,
 * so each step's weight is its share of that attention; the three largest (ties: newer first) are
 * reported with their event ids. Attention is a proxy for influence, not an attribution method.
 */
public final class IntentScorer {
    static final int TOP_INFLUENCES = 3;

    private final IntentMetrics metrics;
    private final int maxBatch;
    private final int padMultiple;
    private final ThreadLocal<InputBatch> buffers = new ThreadLocal<>();

    public IntentScorer(IntentMetrics metrics, int maxBatch, int padMultiple) {
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.padMultiple = padMultiple;
    }

    /** A user to score: their events, deduplicated and in event-time order (at least one). */
    public record Candidate(String userId, List<BehaviorEvent> events) {}

    /**
     * Scores candidates in chunks of at most {@code scoring.max.batch} users, in input order, on
     * {@code m}, which the caller holds a lease on (see {@link io.intentstream.model.LiveModel#lease()}).
     */
    public List<UserScore> score(IntentModel m, List<Candidate> candidates) {
        List<UserScore> out = new ArrayList<>(candidates.size());
        for (int from = 0; from < candidates.size(); from += maxBatch) {
            out.addAll(scoreChunk(m, candidates.subList(from, Math.min(candidates.size(), from + maxBatch))));
        }
        return out;
    }

    private List<UserScore> scoreChunk(IntentModel m, List<Candidate> chunk) {
        try {
            FeatureMapper features = m.features();
            int maxLen = m.sidecar().maxSeqLen();
            InputBatch batch = buffers.get();
            if (batch == null || batch.maxLen() != maxLen || batch.capacityRows() < maxBatch) {
                batch = new InputBatch(maxBatch, maxLen);
                buffers.set(batch);
            }
            List<ModelInput> inputs = new ArrayList<>(chunk.size());
            List<List<BehaviorEvent>> windows = new ArrayList<>(chunk.size());
            for (Candidate c : chunk) {
                List<BehaviorEvent> window = c.events().subList(Math.max(0, c.events().size() - maxLen), c.events().size());
                windows.add(window);
                inputs.add(features.window(window));
            }
            batch.fill(inputs, padMultiple, m.sidecar());
            long start = System.nanoTime();
            ScoringOutput o = m.run(batch);
            metrics.inference(chunk.size(), System.nanoTime() - start);
            List<UserScore> scores = new ArrayList<>(chunk.size());
            for (int r = 0; r < chunk.size(); r++) {
                scores.add(read(chunk.get(r).userId(), r, o, inputs.get(r), windows.get(r), features, m));
                metrics.sequenceLength(inputs.get(r).length());
            }
            return scores;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime call failed for a batch of " + chunk.size(), e);
        }
    }

    private static UserScore read(String userId, int row, ScoringOutput o, ModelInput input, List<BehaviorEvent> window,
                                  FeatureMapper features, IntentModel m) {
        List<String> names = m.sidecar().nextActions();
        List<ActionProbability> next = new ArrayList<>(names.size());
        for (int c = 0; c < names.size(); c++) {
            next.add(new ActionProbability(nextAction(names.get(c)), (double) o.nextAction(row, c)));
        }
        next.sort(Comparator.comparingDouble(ActionProbability::getProbability).reversed());
        List<RankedItem> top = new ArrayList<>(o.topK());
        for (int k = 0; k < o.topK(); k++) {
            top.add(new RankedItem(features.itemName(o.topkItem(row, k)), o.topkScore(row, k)));
        }
        return new UserScore(userId, o.purchaseProb()[row], next, top, influences(row, o, window),
                input.length(), window.get(window.size() - 1).timeMs(), features.hasKnownItem(input), o.modelVersion());
    }

    static List<Influence> influences(int row, ScoringOutput o, List<BehaviorEvent> window) {
        int n = window.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.max(0, o.attention(row, i));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(o.attention(row, b), o.attention(row, a));
            return c != 0 ? c : Integer.compare(b, a);
        });
        List<Influence> out = new ArrayList<>(TOP_INFLUENCES);
        for (int j = 0; j < Math.min(TOP_INFLUENCES, n); j++) {
            BehaviorEvent e = window.get(order[j]);
            double w = total > 0 ? Math.max(0, o.attention(row, order[j])) / total : 1.0 / n;
            out.add(new Influence(e.eventId(), e.action().name(), e.itemId(), w));
        }
        return out;
    }

    private static final Map<String, NextAction> NEXT = Map.of("VIEW", NextAction.VIEW, "SEARCH", NextAction.SEARCH,
            "ADD_TO_CART", NextAction.ADD_TO_CART, "REMOVE_FROM_CART", NextAction.REMOVE_FROM_CART,
            "CHECKOUT", NextAction.CHECKOUT, "END_SESSION", NextAction.END_SESSION);

    private static NextAction nextAction(String name) {
        return NEXT.getOrDefault(name, NextAction.UNKNOWN);
    }
}
