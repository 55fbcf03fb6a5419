package io.intentstream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Owns every metric name of intent-stream. Dashboards and alert rules are built on the Prometheus
 * forms given in each constant's comment, so these names are part of the public contract. The
 * meters themselves are registered per concern ({@link ScoringMeters}, {@link ModelMeters},
 * {@link StateStoreMeters}); this facade keeps one entry point for the code that records them.
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
    /** Users scored, by graph: step (warm cache, one new event) or prefill (cold: full pass). */
    public static final String SCORED_USERS = "intentstream.inference.users";
    /** Bytes held by the derived K/V caches of this instance's users. */
    public static final String STEP_CACHE_BYTES = "intentstream.inference.cache.bytes";
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
    private final ScoringMeters scoring;
    private final ModelMeters model;
    private final StateStoreMeters state;
    private final Counter deadLetterDropped;
    private final Counter registryUnavailable;

    public IntentMetrics(MeterRegistry registry) {
        this.registry = registry;
        scoring = new ScoringMeters(registry);
        model = new ModelMeters(registry);
        state = new StateStoreMeters(registry);
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

    /** One model call on {@code graph} ("step", "prefill" or "recommend") for {@code users}. */
    public void inference(String graph, int users, long nanos) {
        scoring.inference(graph, users, nanos);
    }

    /** Reports the K/V cache size (a gauge over {@code bytes}). */
    public void stepCache(java.util.function.LongSupplier bytes) {
        scoring.stepCache(bytes);
    }

    public void eventToOutput(long millis) {
        scoring.eventToOutput(millis);
    }

    public void sequenceLength(int steps) {
        scoring.sequenceLength(steps);
    }

    public void providerFallback() {
        model.providerFallback();
    }

    public void scoresEmitted(int n) {
        scoring.scoresEmitted(n);
    }

    public void scoringFailure() {
        scoring.scoringFailure();
    }

    public void trigger(String type) {
        registry.counter(TRIGGERS, "type", type).increment();
    }

    public void erasure() {
        state.erasure();
    }

    public void expired(int n) {
        state.expired(n);
    }

    public Counter modelSwap(String outcome) {
        return model.swaps(outcome);
    }

    /** Exactly one {version, provider} info series is 1 at a time. */
    public void modelLoaded(String version, String provider) {
        model.loaded(version, provider);
    }

    public void modelUnloaded() {
        model.unloaded();
    }

    /** Dirty users of one task; the gauge sums the tasks of this instance. */
    public void dirtyUsers(String taskId, long n) {
        scoring.dirtyUsers(taskId, n);
    }

    public void storeEntries(String store, String taskId, long n) {
        state.storeEntries(store, taskId, n);
    }

    /** Forgets a closed task's gauges contributions (rebalance moved it away). */
    public void taskClosed(String taskId) {
        scoring.taskClosed(taskId);
        state.taskClosed(taskId);
    }
}
