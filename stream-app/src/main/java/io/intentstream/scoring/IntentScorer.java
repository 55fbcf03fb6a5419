package io.intentstream.scoring;

import ai.onnxruntime.OrtException;
import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.NextAction;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.Aggregates;
import io.intentstream.model.FeatureMapper;
import io.intentstream.model.IntentModel;
import io.intentstream.model.ModelInput;
import io.intentstream.model.PrefillRow;
import io.intentstream.model.RecommendRow;
import io.intentstream.model.Recommendations;
import io.intentstream.model.ScoringOutput;
import io.intentstream.model.StepRow;
import io.intentstream.recommend.RankedItem;
import io.intentstream.sequence.BehaviorEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores users with the streaming model: a user whose {@link StepCache} entry covers exactly their
 * stored events but the newest goes through {@code step} (one new event against the cache); every
 * other user through {@code prefill} over their stored events. Each graph gets one ONNX Runtime
 * call per chunk of at most {@code scoring.max.batch} users; both leave the user's new cache in
 * the {@link StepCache}. Candidates whose recommendation is due then go through {@code recommend}
 * (the next-item head over the whole catalogue, most of a step's cost) in one more call; the
 * others get scores only. Feature mapping uses the sidecar of the model that runs the call, so a
 * hot swap never mixes vocabularies, and cache entries of another version are never used.
 */
public final class IntentScorer {
    private final IntentMetrics metrics;
    private final int maxBatch;
    private final int padMultiple;
    private final StepCache cache;

    public IntentScorer(IntentMetrics metrics, int maxBatch, int padMultiple, StepCache cache) {
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.padMultiple = padMultiple;
        this.cache = cache;
        metrics.stepCache(cache::bytes);
    }

    /**
     * A user to score: their events, deduplicated and in event-time order (at least one), and
     * whether their recommendation is due (top-K items are computed only then).
     */
    public record Candidate(String userId, List<BehaviorEvent> events, boolean recommend) {
        public Candidate(String userId, List<BehaviorEvent> events) {
            this(userId, events, true);
        }
    }

    /** A candidate (row {@code row} of its chunk) mapped to model steps, with its cache when a step can serve it. */
    private record Prepared(int row, Candidate candidate, List<BehaviorEvent> window, ModelInput input, float[] aggregates,
                            StepCache.Entry cached) {}

    /** A scored candidate waiting for its recommendation. */
    private record Due(Prepared prepared, float[] hidden, UserScore score) {}

    /** Drops the user's derived cache (erasure, expiry): nothing of theirs stays in memory. */
    public void forget(String userId) {
        cache.remove(userId);
    }

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
        FeatureMapper features = m.features();
        int maxLen = m.sidecar().maxSeqLen();
        int covered = m.sidecar().streaming().receptiveField() - 1;
        List<Prepared> steps = new ArrayList<>();
        List<Prepared> cold = new ArrayList<>();
        for (int r = 0; r < chunk.size(); r++) {
            Candidate c = chunk.get(r);
            List<BehaviorEvent> window = c.events().subList(Math.max(0, c.events().size() - maxLen), c.events().size());
            ModelInput input = features.window(window);
            int n = input.length();
            float[] agg = new float[Aggregates.COUNT];
            m.aggregates().write(input, n - 1, agg, 0);
            StepCache.Entry e = cache.get(c.userId());
            boolean warm = e != null && n >= 2 && e.modelVersion().equals(m.version())
                    && e.covered().matches(input, n - 2, covered);
            (warm ? steps : cold).add(new Prepared(r, c, window, input, agg, warm ? e : null));
            metrics.sequenceLength(n);
        }
        try {
            UserScore[] scored = new UserScore[chunk.size()];
            List<Due> due = new ArrayList<>();
            if (!steps.isEmpty()) {
                runStep(m, steps, scored, due);
            }
            if (!cold.isEmpty()) {
                runPrefill(m, cold, scored, due);
            }
            if (!due.isEmpty()) {
                recommend(m, due, scored);
            }
            return Arrays.asList(scored);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime call failed for a batch of " + chunk.size(), e);
        }
    }

    private void runStep(IntentModel m, List<Prepared> rows, UserScore[] scored, List<Due> due) throws OrtException {
        List<StepRow> in = new ArrayList<>(rows.size());
        for (Prepared p : rows) {
            ModelInput x = p.input();
            int i = x.length() - 1;
            in.add(new StepRow(p.cached().k(), p.cached().v(), i, x.actionIds()[i], x.itemIds()[i], x.categoryIds()[i],
                    x.gapBuckets()[i], p.aggregates()));
        }
        long start = System.nanoTime();
        ScoringOutput o = m.step(in);
        metrics.inference("step", rows.size(), System.nanoTime() - start);
        collect(m, rows, o, scored, due);
    }

    private void runPrefill(IntentModel m, List<Prepared> rows, UserScore[] scored, List<Due> due) throws OrtException {
        List<PrefillRow> in = new ArrayList<>(rows.size());
        for (Prepared p : rows) {
            in.add(new PrefillRow(p.input(), p.aggregates()));
        }
        long start = System.nanoTime();
        ScoringOutput o = m.prefill(in, padMultiple);
        metrics.inference("prefill", rows.size(), System.nanoTime() - start);
        collect(m, rows, o, scored, due);
    }

    /** One call for every due user of the chunk; their scores gain the top-K items. */
    private void recommend(IntentModel m, List<Due> due, UserScore[] scored) throws OrtException {
        List<RecommendRow> in = new ArrayList<>(due.size());
        for (Due d : due) {
            in.add(new RecommendRow(d.hidden(), d.prepared().aggregates(), d.prepared().input()));
        }
        long start = System.nanoTime();
        Recommendations r = m.recommend(in);
        metrics.inference("recommend", due.size(), System.nanoTime() - start);
        FeatureMapper features = m.features();
        for (int row = 0; row < due.size(); row++) {
            List<RankedItem> top = new ArrayList<>(r.topK());
            for (int k = 0; k < r.topK(); k++) {
                top.add(new RankedItem(features.itemName(r.topkItem(row, k)), r.topkScore(row, k)));
            }
            Due d = due.get(row);
            scored[d.prepared().row()] = d.score().withTopItems(top);
        }
    }

    private void collect(IntentModel m, List<Prepared> rows, ScoringOutput o, UserScore[] scored, List<Due> due) {
        int covered = m.sidecar().streaming().receptiveField() - 1;
        for (int r = 0; r < rows.size(); r++) {
            Prepared p = rows.get(r);
            ModelInput x = p.input();
            // A warm user's old arrays were already copied into this call's input: reuse them.
            float[] k = p.cached() != null ? p.cached().k() : new float[o.layers() * o.layerFloats()];
            float[] v = p.cached() != null ? p.cached().v() : new float[k.length];
            o.copyCache(r, k, v);
            cache.put(p.candidate().userId(), new StepCache.Entry(m.version(), CoveredSteps.of(x, x.length() - 1, covered), k, v));
            scored[p.row()] = read(p, r, o, m);
            if (p.candidate().recommend()) {
                due.add(new Due(p, o.hidden(r), scored[p.row()]));
            }
        }
    }

    private static UserScore read(Prepared p, int row, ScoringOutput o, IntentModel m) {
        FeatureMapper features = m.features();
        List<String> names = m.sidecar().nextActions();
        List<ActionProbability> next = new ArrayList<>(names.size());
        for (int c = 0; c < names.size(); c++) {
            next.add(new ActionProbability(nextAction(names.get(c)), (double) o.nextAction(row, c)));
        }
        next.sort(Comparator.comparingDouble(ActionProbability::getProbability).reversed());
        List<BehaviorEvent> window = p.window();
        return new UserScore(p.candidate().userId(), o.purchaseProb()[row], next, null, Influences.of(row, o, window),
                p.input().length(), window.get(window.size() - 1).timeMs(), features.isPersonal(p.input()),
                o.modelVersion());
    }

    private static final Map<String, NextAction> NEXT = Map.of("VIEW", NextAction.VIEW, "SEARCH", NextAction.SEARCH,
            "ADD_TO_CART", NextAction.ADD_TO_CART, "REMOVE_FROM_CART", NextAction.REMOVE_FROM_CART,
            "CHECKOUT", NextAction.CHECKOUT, "END_SESSION", NextAction.END_SESSION);

    private static NextAction nextAction(String name) {
        return NEXT.getOrDefault(name, NextAction.UNKNOWN);
    }
}
