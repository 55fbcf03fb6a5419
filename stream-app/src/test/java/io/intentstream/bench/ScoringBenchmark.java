package io.intentstream.bench;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.StepCache;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
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
 * Inference only, per-event vs micro-batched: 2000 users with histories of 6-41 events; each
 * invocation scores every user's sequence once, as if each had just sent one event (2000 per
 * invocation). batch=1 scores each alone (as {@code scoring.mode=per-event}); larger values score
 * the dirty users in chunks of {@code batch} users per ONNX Runtime call. Throughput is events scored per
 * second; everything (feature mapping, buffers, ORT call, output decoding) is inside the loop.
 *
 * <p>Run: {@code stream-app/bench ScoringBenchmark} (see BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBenchmark {
    static final int USERS = 2000;

    @Param({"1", "32", "128", "256"})
    public int batch;

    @Param({"cpu"})
    public String provider;

    LiveModel model;
    IntentScorer scorer;
    List<IntentScorer.Candidate> candidates;

    @Setup(Level.Trial)
    public void setUp() {
        IntentConfig config = IntentConfig.of(Map.of("inference.provider", provider,
                "scoring.max.batch", Integer.toString(Math.max(batch, 1))));
        model = LiveModel.open(config, IntentMetrics.noop());
        scorer = new IntentScorer(IntentMetrics.noop(), Math.max(batch, 1), config.scoring().padMultiple(), new StepCache(64L << 20));
        List<String> vocab = TestModels.itemVocab(model);
        Random rnd = new Random(42);
        candidates = new ArrayList<>(USERS);
        StepAction[] actions = {StepAction.VIEW, StepAction.VIEW, StepAction.VIEW, StepAction.SEARCH, StepAction.ADD_TO_CART};
        for (int u = 0; u < USERS; u++) {
            BehaviorSequence s = new BehaviorSequence();
            int n = 6 + rnd.nextInt(36);
            long t = 1_767_600_000_000L;
            for (int i = 0; i < n; i++) {
                t += 1_000 + rnd.nextInt(60_000);
                StepAction a = actions[rnd.nextInt(actions.length)];
                String item = a == StepAction.SEARCH ? null : vocab.get(rnd.nextInt(Math.min(vocab.size(), 500)));
                s.add(new BehaviorEvent("u" + u + "-" + i, t, a, item, null, a == StepAction.SEARCH ? "red shoes" : null),
                        "s", model.maxSeqLen());
            }
            candidates.add(new IntentScorer.Candidate("u" + u, s.events()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** batch=1 is the per-event baseline; larger values are coalesced micro-batches. */
    @Benchmark
    @OperationsPerInvocation(USERS)
    public int scoreStream() {
        int scored = 0;
        for (int from = 0; from < USERS; from += batch) {
            try (LiveModel.Lease lease = model.lease()) {
                scored += scorer.score(lease.model(), candidates.subList(from, Math.min(USERS, from + batch))).size();
            }
        }
        return scored;
    }
}
