package io.intentstream.metrics;

import static io.intentstream.metrics.IntentMetrics.DIRTY_USERS;
import static io.intentstream.metrics.IntentMetrics.EVENT_TO_OUTPUT_LATENCY;
import static io.intentstream.metrics.IntentMetrics.INFERENCE_BATCH_SIZE;
import static io.intentstream.metrics.IntentMetrics.INFERENCE_LATENCY;
import static io.intentstream.metrics.IntentMetrics.SCORED_USERS;
import static io.intentstream.metrics.IntentMetrics.SCORES_EMITTED;
import static io.intentstream.metrics.IntentMetrics.STEP_CACHE_BYTES;
import static io.intentstream.metrics.IntentMetrics.SCORING_FAILURES;
import static io.intentstream.metrics.IntentMetrics.SEQUENCE_LENGTH;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scoring: batch sizes and latency of model calls per graph, event-to-output latency, scores, failures, dirty users.
 * The graphs cost very differently per user (a step is one event, a prefill up to the whole window, a recommend the
 * whole catalogue), so a shared histogram would move with their mix rather than with their speed.
 */
final class ScoringMeters {
    /**
     * Client-side percentiles (the quantile series and the demo's view) cover about the last minute
     * rather than Micrometer's default two, so a start-up backlog stops dominating p99 sooner.
     * Dashboards use the histogram buckets, which this does not affect.
     */
    private static final Duration PERCENTILE_WINDOW = Duration.ofSeconds(60);

    /** Registered up front so that every graph's series exists from the start, at zero. */
    static final List<String> GRAPHS = List.of("step", "prefill", "recommend");

    /** One map lookup per ONNX Runtime call: the three meters of a graph are built together. */
    private record GraphMeters(DistributionSummary batchSize, Timer latency, Counter users) {}

    private final Map<String, GraphMeters> byGraph = new ConcurrentHashMap<>();
    private final Timer eventToOutput;
    private final DistributionSummary sequenceLength;
    private final Counter scoresEmitted;
    private final Counter scoringFailures;
    private final Map<String, AtomicLong> dirtyByTask = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    ScoringMeters(MeterRegistry registry) {
        this.registry = registry;
        GRAPHS.forEach(g -> byGraph.computeIfAbsent(g, this::graphMeters));
        eventToOutput = Timer.builder(EVENT_TO_OUTPUT_LATENCY)
                .description("Newest input record timestamp to IntentScore emitted")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .distributionStatisticExpiry(PERCENTILE_WINDOW).register(registry);
        sequenceLength = DistributionSummary.builder(SEQUENCE_LENGTH).description("Steps per scored sequence")
                .publishPercentileHistogram().register(registry);
        scoresEmitted = Counter.builder(SCORES_EMITTED).register(registry);
        scoringFailures = Counter.builder(SCORING_FAILURES)
                .description("Dirty users dropped from scoring because their state could not be read or their "
                        + "scoring or output failed on its own; they are scored again on their next event")
                .register(registry);
        Gauge.builder(DIRTY_USERS, dirtyByTask, m -> m.values().stream().mapToLong(AtomicLong::get).sum())
                .register(registry);
    }

    /** One ONNX Runtime call on {@code graph} for {@code users}. */
    void inference(String graph, int users, long nanos) {
        GraphMeters m = byGraph.computeIfAbsent(graph, this::graphMeters);
        m.batchSize().record(users);
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
        m.users().increment(users);
    }

    private GraphMeters graphMeters(String graph) {
        return new GraphMeters(
                DistributionSummary.builder(INFERENCE_BATCH_SIZE).description("Users per ONNX Runtime call")
                        .tag("graph", graph).publishPercentileHistogram()
                        .serviceLevelObjectives(1, 8, 32, 64, 128, 256, 512).register(registry),
                Timer.builder(INFERENCE_LATENCY).description("Wall time of one ONNX Runtime call").tag("graph", graph)
                        .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99)
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(2))
                        .distributionStatisticExpiry(PERCENTILE_WINDOW).register(registry),
                registry.counter(SCORED_USERS, "graph", graph));
    }

    void stepCache(java.util.function.LongSupplier bytes) {
        Gauge.builder(STEP_CACHE_BYTES, bytes, b -> (double) b.getAsLong()).baseUnit("bytes")
                .description("Bytes of derived K/V caches held; rebuilt by prefill after a miss").register(registry);
    }

    void eventToOutput(long millis) {
        eventToOutput.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void sequenceLength(int steps) {
        sequenceLength.record(steps);
    }

    void scoresEmitted(int n) {
        scoresEmitted.increment(n);
    }

    void scoringFailure() {
        scoringFailures.increment();
    }

    /** Dirty users of one task; the gauge sums the tasks of this instance. */
    void dirtyUsers(String taskId, long n) {
        dirtyByTask.computeIfAbsent(taskId, t -> new AtomicLong()).set(n);
    }

    void taskClosed(String taskId) {
        dirtyByTask.remove(taskId);
    }
}
