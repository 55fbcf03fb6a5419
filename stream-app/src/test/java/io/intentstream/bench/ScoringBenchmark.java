package io.intentstream.bench;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.StepCache;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.StepAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model work per event, streaming step against full recompute, in the same run: 2000 users, each
 * with a full window of 50 stored events; each invocation gives every user one new event (the
 * oldest falls out, as in the store) and scores it. {@code path=step}: the scorer with its K/V
 * cache, warmed in set-up, so every score is one step, without a recommendation (an event whose
 * shopper's recommendation is not due: most events, see {@code recommend.interval.ms}).
 * {@code path=step-recommend}: the same, plus a recommendation for every event (the next-item
 * head over the whole catalogue). {@code path=recompute}: no cache and a recommendation every
 * time, so every score is a prefill over the 50 stored events plus the head (the old cost model).
 * Users go to ORT in chunks of {@code batch}; everything (feature mapping, aggregates, the ORT
 * call, outputs, cache bookkeeping) is inside the loop. Throughput = events scored per second.
 *
 * <p>Run: {@code stream-app/bench ScoringBenchmark} (see BENCHMARKS.md); a large catalogue:
 * {@code -p modelDir=/tmp/model-100k} after {@code python3 -m intent_model.catalog_scale}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBenchmark {
    static final int USERS = 2000;
    static final int STORED = 50;

    @Param({"step", "step-recommend", "recompute"})
    public String path;

    @Param({"1", "64", "256"})
    public int batch;

    @Param({"cpu"})
    public String provider;

    /** Empty: the packaged model; else a model.dir, e.g. a 100k-item one from intent_model.catalog_scale. */
    @Param({""})
    public String modelDir;

    LiveModel model;
    IntentScorer scorer;
    List<List<BehaviorEvent>> histories;
    List<String> vocab;
    Random rnd;
    long clock = 1_767_600_000_000L;
    int nextId;

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("inference.provider", provider,
                "scoring.max.batch", Integer.toString(batch)));
        if (!modelDir.isEmpty()) {
            settings.put("model.dir", modelDir);
        }
        IntentConfig config = IntentConfig.of(settings);
        model = LiveModel.open(config, IntentMetrics.noop());
        long cacheBytes = path.startsWith("step") ? 256L << 20 : 1;
        scorer = new IntentScorer(IntentMetrics.noop(), batch, config.scoring().padMultiple(), new StepCache(cacheBytes));
        vocab = TestModels.itemVocab(model);
        rnd = new Random(42);
        histories = new ArrayList<>(USERS);
        for (int u = 0; u < USERS; u++) {
            List<BehaviorEvent> h = new ArrayList<>(STORED + 1);
            for (int i = 0; i < STORED; i++) {
                h.add(event());
            }
            histories.add(h);
        }
        scoreAll(); // warms the caches (step) and the ORT shapes (both)
    }

    private BehaviorEvent event() {
        clock += 1_000 + rnd.nextInt(30_000);
        StepAction[] actions = {StepAction.VIEW, StepAction.VIEW, StepAction.VIEW, StepAction.SEARCH, StepAction.ADD_TO_CART};
        StepAction a = actions[rnd.nextInt(actions.length)];
        String item = a == StepAction.SEARCH ? null : vocab.get(rnd.nextInt(Math.min(vocab.size(), 500)));
        return new BehaviorEvent("e" + nextId++, clock, a, item, null, a == StepAction.SEARCH ? "red shoes" : null,
                a == StepAction.ADD_TO_CART ? 19.99f : 0f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    @OperationsPerInvocation(USERS)
    public int newEventForEveryUser() {
        for (List<BehaviorEvent> h : histories) {
            h.remove(0);
            h.add(event());
        }
        return scoreAll();
    }

    private int scoreAll() {
        int scored = 0;
        for (int from = 0; from < USERS; from += batch) {
            List<IntentScorer.Candidate> chunk = new ArrayList<>(batch);
            for (int u = from; u < Math.min(USERS, from + batch); u++) {
                chunk.add(new IntentScorer.Candidate("u" + u, List.copyOf(histories.get(u)), !path.equals("step")));
            }
            try (LiveModel.Lease lease = model.lease()) {
                scored += scorer.score(lease.model(), chunk).size();
            }
        }
        return scored;
    }
}
