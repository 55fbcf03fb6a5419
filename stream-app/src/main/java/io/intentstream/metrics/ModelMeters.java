package io.intentstream.metrics;

import static io.intentstream.metrics.IntentMetrics.MODEL_INFO;
import static io.intentstream.metrics.IntentMetrics.MODEL_LOADED;
import static io.intentstream.metrics.IntentMetrics.MODEL_SWAPS;
import static io.intentstream.metrics.IntentMetrics.PROVIDER_FALLBACKS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;

/** The served model: which version on which provider, loaded or not, swaps and provider fallbacks. */
final class ModelMeters {
    private final MeterRegistry registry;
    private final AtomicLong loaded = new AtomicLong();
    private final Counter fallbacks;
    private Gauge info;

    ModelMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MODEL_LOADED, loaded, AtomicLong::get).register(registry);
        fallbacks = Counter.builder(PROVIDER_FALLBACKS).description("auto provider fell back to CPU").register(registry);
        swaps("success");
        swaps("rejected");
    }

    Counter swaps(String outcome) {
        return registry.counter(MODEL_SWAPS, "outcome", outcome);
    }

    void providerFallback() {
        fallbacks.increment();
    }

    /** Replaces the info gauge so exactly one {version, provider} series is 1 at a time. */
    synchronized void loaded(String version, String provider) {
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder(MODEL_INFO, () -> 1).tags(Tags.of("version", version, "provider", provider)).register(registry);
        loaded.set(1);
    }

    void unloaded() {
        loaded.set(0);
    }
}
