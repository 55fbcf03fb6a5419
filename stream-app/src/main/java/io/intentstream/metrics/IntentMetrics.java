package io.intentstream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns every metric name of intent-stream. Dashboards and alert rules are built on the Prometheus
 * forms given in each constant's comment, so these names are part of the public contract.
 */
public final class IntentMetrics {
    /** {@code intentstream_events_in_total{type=browse|search|cart|erasure}}. */
    public static final String EVENTS_IN = "intentstream.events.in";
    /** {@code intentstream_dlq_records_total{reason}}. */
    public static final String DLQ_RECORDS = "intentstream.dlq.records";
    /** {@code intentstream_dlq_dropped_total}: dead letters that could not be written (logged, dropped). */
    public static final String DLQ_DROPPED = "intentstream.dlq.dropped";
    /** {@code intentstream_registry_unavailable_total}: decodes that failed on the registry, not the record. */
    public static final String REGISTRY_UNAVAILABLE = "intentstream.registry.unavailable";
    /** {@code intentstream_stream_thread_failures_total{kind=transient|fault}}: stream threads that died. */
    public static final String STREAM_THREAD_FAILURES = "intentstream.stream.thread.failures";
    /** {@code intentstream_inference_batch_size_bucket/_count/_sum}. */
    public static final String INFERENCE_BATCH_SIZE = "intentstream.inference.batch.size";
    /** {@code intentstream_inference_latency_seconds_*}. */
    public static final String INFERENCE_LATENCY = "intentstream.inference.latency";
    /** {@code intentstream_event_to_output_latency_seconds_*}: record timestamp to score emitted. */
    public static final String EVENT_TO_OUTPUT_LATENCY = "intentstream.event.to.output.latency";
    /** {@code intentstream_model_info{version,provider}} = 1. */
    public static final String MODEL_INFO = "intentstream.model.info";
    /** {@code intentstream_model_loaded} 0/1. */
    public static final String MODEL_LOADED = "intentstream.model.loaded";
    /** {@code intentstream_model_swaps_total{outcome=success|rejected}}. */
    public static final String MODEL_SWAPS = "intentstream.model.swaps";
    /** {@code intentstream_inference_provider_fallbacks_total}. */
    public static final String PROVIDER_FALLBACKS = "intentstream.inference.provider.fallbacks";
    /** {@code intentstream_scoring_dirty_users}. */
    public static final String DIRTY_USERS = "intentstream.scoring.dirty.users";
    /** {@code intentstream_scores_emitted_total}. */
    public static final String SCORES_EMITTED = "intentstream.scores.emitted";
    /** {@code intentstream_scoring_failures_total}: users dropped from scoring because they failed alone. */
    public static final String SCORING_FAILURES = "intentstream.scoring.failures";
    /** {@code intentstream_triggers_total{type}}. */
    public static final String TRIGGERS = "intentstream.triggers";
    /** {@code intentstream_sequence_length_*}. */
    public static final String SEQUENCE_LENGTH = "intentstream.sequence.length";
    /** {@code intentstream_state_store_entries{store}}. */
    public static final String STATE_STORE_ENTRIES = "intentstream.state.store.entries";
    /** {@code intentstream_erasures_total}. */
    public static final String ERASURES = "intentstream.erasures";
    /** {@code intentstream_sequences_expired_total}. */
    public static final String SEQUENCES_EXPIRED = "intentstream.sequences.expired";

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer inferenceLatency;
    private final Timer eventToOutput;
    private final DistributionSummary sequenceLength;
    private final Counter fallbacks;
    private final Counter scoresEmitted;
    private final Counter scoringFailures;
    private final Counter erasures;
    private final Counter expired;
    private final Counter deadLetterDropped;
    private final Counter registryUnavailable;
    private final AtomicLong modelLoaded = new AtomicLong();
    private final Map<String, AtomicLong> dirtyByTask = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> entriesByStore = new ConcurrentHashMap<>();
    private volatile Gauge modelInfo;
    /**
     * Client-side percentiles (the quantile series and the demo's view) cover about the last minute
     * rather than Micrometer's default two, so a start-up backlog stops dominating p99 sooner.
     * Dashboards use the histogram buckets, which this does not affect.
     */
    private static final Duration PERCENTILE_WINDOW = Duration.ofSeconds(60);

    public IntentMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchSize = DistributionSummary.builder(INFERENCE_BATCH_SIZE).description("Users per ONNX Runtime call")
                .publishPercentileHistogram().serviceLevelObjectives(1, 8, 32, 64, 128, 256, 512)
                .register(registry);
        inferenceLatency = Timer.builder(INFERENCE_LATENCY).description("Wall time of one ONNX Runtime call")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(2))
                .distributionStatisticExpiry(PERCENTILE_WINDOW).register(registry);
        eventToOutput = Timer.builder(EVENT_TO_OUTPUT_LATENCY)
                .description("Newest input record timestamp to IntentScore emitted")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .distributionStatisticExpiry(PERCENTILE_WINDOW).register(registry);
        sequenceLength = DistributionSummary.builder(SEQUENCE_LENGTH).description("Steps per scored sequence")
                .publishPercentileHistogram().register(registry);
        fallbacks = Counter.builder(PROVIDER_FALLBACKS).description("auto provider fell back to CPU").register(registry);
        scoresEmitted = Counter.builder(SCORES_EMITTED).register(registry);
        scoringFailures = Counter.builder(SCORING_FAILURES)
                .description("Dirty users dropped from scoring because their state could not be read or their "
                        + "scoring or output failed on its own; they are scored again on their next event")
                .register(registry);
        erasures = Counter.builder(ERASURES).register(registry);
        expired = Counter.builder(SEQUENCES_EXPIRED).register(registry);
        Gauge.builder(MODEL_LOADED, modelLoaded, AtomicLong::get).register(registry);
        Gauge.builder(DIRTY_USERS, dirtyByTask, m -> m.values().stream().mapToLong(AtomicLong::get).sum())
                .register(registry);
        for (String type : new String[] {"browse", "search", "cart", "erasure"}) {
            eventsIn(type);
        }
        deadLetterDropped = Counter.builder(DLQ_DROPPED)
                .description("Dead letters dropped because they could not be written").register(registry);
        registryUnavailable = Counter.builder(REGISTRY_UNAVAILABLE)
                .description("Records not decoded because the schema registry was unavailable; retried, never dead-lettered")
                .register(registry);
        streamThreadFailure("transient");
        streamThreadFailure("fault");
        modelSwap("success");
        registry.counter(MODEL_SWAPS, "outcome", "rejected");
    }

    /** Metrics for code paths that have no registry wired (benchmarks, ad-hoc tools). */
    public static IntentMetrics noop() {
        return new IntentMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Counter eventsIn(String type) {
        return registry.counter(EVENTS_IN, "type", type);
    }

    public void deadLetter(String reason) {
        deadLetters(reason, 1);
    }

    public void deadLetters(String reason, int n) {
        registry.counter(DLQ_RECORDS, "reason", reason).increment(n);
    }

    public void deadLetterDropped() {
        deadLetterDropped.increment();
    }

    public void registryUnavailable() {
        registryUnavailable.increment();
    }

    /** A stream thread died: {@code transient} (e.g. registry outage, retried) or {@code fault}. */
    public Counter streamThreadFailure(String kind) {
        return registry.counter(STREAM_THREAD_FAILURES, "kind", kind);
    }

    public void inference(int users, long nanos) {
        batchSize.record(users);
        inferenceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void eventToOutput(long millis) {
        eventToOutput.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void sequenceLength(int steps) {
        sequenceLength.record(steps);
    }

    public void providerFallback() {
        fallbacks.increment();
    }

    public void scoresEmitted(int n) {
        scoresEmitted.increment(n);
    }

    public void scoringFailure() {
        scoringFailures.increment();
    }

    public void trigger(String type) {
        registry.counter(TRIGGERS, "type", type).increment();
    }

    public void erasure() {
        erasures.increment();
    }

    public void expired(int n) {
        expired.increment(n);
    }

    public Counter modelSwap(String outcome) {
        return registry.counter(MODEL_SWAPS, "outcome", outcome);
    }

    /** Replaces the info gauge so exactly one {version, provider} series is 1 at a time. */
    public synchronized void modelLoaded(String version, String provider) {
        if (modelInfo != null) {
            registry.remove(modelInfo);
        }
        modelInfo = Gauge.builder(MODEL_INFO, () -> 1).tags(Tags.of("version", version, "provider", provider))
                .register(registry);
        modelLoaded.set(1);
    }

    public void modelUnloaded() {
        modelLoaded.set(0);
    }

    /** Dirty users of one task; the gauge sums the tasks of this instance. */
    public void dirtyUsers(String taskId, long n) {
        dirtyByTask.computeIfAbsent(taskId, t -> new AtomicLong()).set(n);
    }

    public void storeEntries(String store, String taskId, long n) {
        entriesByStore.computeIfAbsent(store, s -> {
            Map<String, AtomicLong> perTask = new ConcurrentHashMap<>();
            Gauge.builder(STATE_STORE_ENTRIES, perTask, m -> m.values().stream().mapToLong(AtomicLong::get).sum())
                    .tag("store", s).register(registry);
            return perTask;
        }).computeIfAbsent(taskId, t -> new AtomicLong()).set(n);
    }

    /** Forgets a closed task's gauges contributions (rebalance moved it away). */
    public void taskClosed(String taskId) {
        dirtyByTask.remove(taskId);
        entriesByStore.values().forEach(m -> m.remove(taskId));
    }
}
