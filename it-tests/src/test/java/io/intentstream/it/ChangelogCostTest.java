package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.ChangelogMeters;
import io.intentstream.metrics.IntentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot path's state cost on a real broker, read from the app's own metric: live shoppers, each
 * event scored in its own commit interval (as when a shopper's events are seconds apart), write at
 * most two changelog records per event: the sequence at the event, the latest outputs at its score,
 * even when the score changes the shopper's trigger state (which the outputs record carries).
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
class ChangelogCostTest {
    static final int SHOPPERS = 40;
    static final int ROUNDS = 5;

    @Test
    void aLiveEventWritesAtMostTwoChangelogRecords(TestKafka kafka) throws Exception {
        kafka.createTopics();
        java.util.Map<String, String> settings = new java.util.HashMap<>(kafka.appSettings("it-changelog",
                Files.createTempDirectory("it-changelog")));
        // Scores well after their events' commit: a score that wrote the sequence again would cost
        // a third record per event, which one commit for both would hide.
        settings.put("scoring.interval.ms", "500");
        // Every shopper's first score fires and disarms the high-intent trigger: a trigger state
        // kept in the sequence would cost one more sequence write per shopper (2.2 per event here).
        settings.put("trigger.high-intent.upper", "0.000001");
        settings.put("trigger.high-intent.lower", "0.0");
        IntentConfig config = IntentConfig.of(settings);
        List<List<ShopEvent>> sessions = new ArrayList<>();
        for (int u = 0; u < SHOPPERS; u++) {
            sessions.add(ShopTraffic.session("cost-u" + u, ROUNDS, u));
        }
        try (IntentStreamApp app = new IntentStreamApp(config, AppOptions.loopback(0)).start();
             ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
            Await.until("app ready", Duration.ofSeconds(90), () -> Http.status(app.httpUrl() + "/health/ready") == 200);
            MeterRegistry registry = app.metrics().registry();
            for (int round = 0; round < ROUNDS; round++) {
                for (List<ShopEvent> session : sessions) {
                    producer.send(session.get(round));
                }
                producer.flush();
                int expected = (round + 1) * SHOPPERS;
                Await.until("round " + round + " scored", Duration.ofSeconds(60),
                        () -> registry.get(IntentMetrics.SCORES_EMITTED).counter().count() >= expected);
                Thread.sleep(300); // past the commit interval: the next round is a new transaction
            }
            double events = registry.find(IntentMetrics.EVENTS_IN).counters().stream().mapToDouble(Counter::count).sum();
            double records = registry.get(ChangelogMeters.RECORDS).functionCounter().count();
            assertThat(events).isEqualTo(SHOPPERS * ROUNDS);
            assertThat(records / events).as("changelog records per event (%s records)", records)
                    .isGreaterThanOrEqualTo(1.0).isLessThanOrEqualTo(2.0);
            assertThat(registry.get(ChangelogMeters.BYTES).functionCounter().count()).isPositive();
            double triggers = registry.find(IntentMetrics.TRIGGERS).counters().stream().mapToDouble(Counter::count).sum();
            assertThat(triggers).as("each shopper's trigger fired once, changing its state").isEqualTo(SHOPPERS);
        }
    }
}
