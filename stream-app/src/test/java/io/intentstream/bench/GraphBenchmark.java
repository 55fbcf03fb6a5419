package io.intentstream.bench;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.Aggregates;
import io.intentstream.model.IntentModel;
import io.intentstream.model.LiveModel;
import io.intentstream.model.ModelInput;
import io.intentstream.model.ModelSidecar;
import io.intentstream.model.PrefillRow;
import io.intentstream.model.RecommendRow;
import io.intentstream.model.StepRow;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model work alone: one ONNX Runtime call of one graph for {@code batch} users (inputs built from
 * prepared rows, outputs copied out), in microseconds per call; divide by the batch for a user.
 * {@code prefill} runs over {@code seq} stored events (50: what a recompute pays for every event),
 * {@code step} is one new event against a cache, {@code recommend} is the next-item head. With the
 * app's default of one intra-op thread. Run: {@code stream-app/bench GraphBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GraphBenchmark {
    @Param({"step", "recommend", "prefill"})
    public String graph;

    @Param({"64", "256"})
    public int batch;

    @Param({"50"})
    public int seq;

    /** Empty: the packaged model; else a model.dir, e.g. a 100k-item one from intent_model.catalog_scale. */
    @Param({""})
    public String modelDir;

    LiveModel model;
    List<StepRow> steps = new ArrayList<>();
    List<RecommendRow> recommends = new ArrayList<>();
    List<PrefillRow> prefills = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("inference.provider", "cpu",
                "scoring.max.batch", Integer.toString(batch)));
        if (!modelDir.isEmpty()) {
            settings.put("model.dir", modelDir);
        }
        model = LiveModel.open(IntentConfig.of(settings), IntentMetrics.noop());
        Random rnd = new Random(7);
        try (LiveModel.Lease lease = model.lease()) {
            ModelSidecar s = lease.model().sidecar();
            ModelSidecar.Streaming st = s.streaming();
            int items = Math.min(s.items().size(), 2000);
            for (int r = 0; r < batch; r++) {
                long[] a = new long[seq];
                long[] it = new long[seq];
                long[] c = new long[seq];
                long[] g = new long[seq];
                for (int i = 0; i < seq; i++) {
                    a[i] = 1 + rnd.nextInt(3);
                    it[i] = s.items().firstId() + rnd.nextInt(items - s.items().firstId());
                    c[i] = s.categories().firstId() + rnd.nextInt(s.categories().size() - s.categories().firstId());
                    g[i] = 2 + rnd.nextInt(8);
                }
                ModelInput in = new ModelInput(a, it, c, g, new long[seq], new float[seq]);
                float[] agg = new float[Aggregates.COUNT];
                float[] k = new float[st.cacheFloats()];
                float[] hidden = new float[st.hiddenWidth()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < hidden.length; i++) {
                    hidden[i] = (float) rnd.nextGaussian();
                }
                steps.add(new StepRow(k, k.clone(), seq - 1, a[seq - 1], it[seq - 1], c[seq - 1], g[seq - 1], agg));
                recommends.add(new RecommendRow(hidden, agg, in));
                prefills.add(new PrefillRow(in, agg));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Object call() throws Exception {
        try (LiveModel.Lease lease = model.lease()) {
            IntentModel m = lease.model();
            return switch (graph) {
                case "step" -> m.step(steps);
                case "recommend" -> m.recommend(recommends);
                case "prefill" -> m.prefill(prefills, 8);
                default -> throw new IllegalArgumentException(graph);
            };
        }
    }
}
