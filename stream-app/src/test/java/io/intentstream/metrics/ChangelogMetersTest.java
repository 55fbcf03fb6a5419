package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ChangelogMetersTest {
    final Map<MetricName, Metric> kafka = new HashMap<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void metric(String group, String name, String topic, String clientId, double value) {
        MetricName n = new MetricName(name, group, "", Map.of("topic", topic, "client-id", clientId));
        kafka.put(n, new Metric() {
            @Override
            public MetricName metricName() {
                return n;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void sumsRecordsAndBytesOfEveryChangelogTopicOverEveryProducerAndNothingElse() {
        metric("producer-topic-metrics", "record-send-total", "app-sequences-changelog", "t1-producer", 10);
        metric("producer-topic-metrics", "record-send-total", "app-latest-outputs-changelog", "t1-producer", 7);
        metric("producer-topic-metrics", "record-send-total", "app-sequences-changelog", "t2-producer", 3);
        metric("producer-topic-metrics", "record-send-total", "intent.scores.v1", "t1-producer", 100);
        metric("producer-topic-metrics", "byte-total", "app-sequences-changelog", "t1-producer", 2048);
        metric("consumer-fetch-manager-metrics", "record-send-total", "app-sequences-changelog", "c", 99);
        ChangelogMeters meters = new ChangelogMeters(() -> kafka);
        meters.bindTo(registry);

        assertThat(registry.get(ChangelogMeters.RECORDS).functionCounter().count()).isEqualTo(20);
        assertThat(registry.get(ChangelogMeters.BYTES).functionCounter().count()).isEqualTo(2048);

        metric("producer-topic-metrics", "record-send-total", "app-sequences-changelog", "t1-producer", 15);
        assertThat(registry.get(ChangelogMeters.RECORDS).functionCounter().count()).as("read at each scrape").isEqualTo(25);
        assertThat(meters.sum("record-send-total")).isEqualTo(25);
    }
}
