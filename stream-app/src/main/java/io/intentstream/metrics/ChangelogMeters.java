package io.intentstream.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What the app writes to its state stores' changelogs: records and bytes summed over every stream
 * thread's producer and every changelog topic, read from Kafka's own producer topic metrics. Over
 * {@code intentstream_events_in_total} it is the hot path's state cost per event
 * (BENCHMARKS.md); a producer that closes (a thread replaced) restarts its share from zero, as
 * Kafka's metrics do.
 */
public final class ChangelogMeters implements MeterBinder {
    public static final String RECORDS = "intentstream.state.changelog.records";
    public static final String BYTES = "intentstream.state.changelog.bytes";
    static final String GROUP = "producer-topic-metrics";
    static final String SUFFIX = "-changelog";

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    /** @param metrics the client's metrics, e.g. {@code KafkaStreams::metrics} */
    public ChangelogMeters(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(RECORDS, this, m -> m.sum("record-send-total"))
                .description("Records written to the state stores' changelog topics").register(registry);
        FunctionCounter.builder(BYTES, this, m -> m.sum("byte-total")).baseUnit("bytes")
                .description("Bytes of the batches sent to the state stores' changelog topics (as sent, after the producer's compression, if any)").register(registry);
    }

    double sum(String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName n = e.getKey();
            String topic = n.tags().get("topic");
            if (n.group().equals(GROUP) && n.name().equals(name) && topic != null && topic.endsWith(SUFFIX)
                    && e.getValue().metricValue() instanceof Number v) {
                total += v.doubleValue();
            }
        }
        return total;
    }
}
