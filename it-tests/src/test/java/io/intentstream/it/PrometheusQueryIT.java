package io.intentstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.it.infra.MonitoringContract;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus scraping a running app with the repository's scrape config and alert rules:
 * every PromQL expression of every Grafana panel returns at least one series, and every alert
 * rule is loaded, evaluated without error and answers as an instant query. What this cannot
 * show: how Grafana renders the panels (units, legends, layout).
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class PrometheusQueryIT {
    /** Grafana's value for $__rate_interval with a 15 s scrape interval: max(4 x 15 s, 15 s + 15 s). */
    private static final String RATE_INTERVAL = "1m";

    private final Path infra = MonitoringContract.locateInfraDir();
    private IntentStreamApp app;
    private PrometheusServer prometheus;
    private String instance;

    @BeforeAll
    void start(TestKafka kafka) throws IOException {
        kafka.createTopics();
        Map<String, String> settings = kafka.observedAppSettings("it-prometheus", Files.createTempDirectory("it-prometheus-state"));
        app = new IntentStreamApp(IntentConfig.of(settings), AppOptions.loopback(0)).start();
        URI http = URI.create(app.httpUrl());
        instance = http.getHost() + ":" + http.getPort();
        Await.until("app ready", Duration.ofSeconds(90), () -> Http.status(app.httpUrl() + "/health/ready") == 200);
        sendTraffic(kafka, 1);

        prometheus = new PrometheusServer(infra, instance);
        // Rates need two samples; keep traffic flowing between the scrapes (15 s apart, as configured).
        Await.until("two scrapes of " + instance, Duration.ofSeconds(90), () -> {
            sendTraffic(kafka, System.nanoTime());
            JsonNode r = prometheus.query("count_over_time(up{job=\"intent-stream\",instance=\"" + instance + "\"}[5m])").path("result");
            return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= 2;
        });
    }

    private static void sendTraffic(TestKafka kafka, long seed) {
        try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
            for (int u = 0; u < 4; u++) {
                for (ShopEvent e : ShopTraffic.session("prom-user-" + seed + "-" + u, 4, seed * 10 + u)) {
                    producer.send(e);
                }
            }
            producer.flush();
        }
        // One undecodable record, so the dead-letter series exist.
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.BROWSE.name(), "prom-poison", "not avro".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.close(Duration.ofSeconds(20));
        }
    }

    @Test
    void everyDashboardPanelQueryReturnsASeries() {
        List<String> exprs = MonitoringContract.dashboardExpressions(infra);
        assertThat(exprs).isNotEmpty();
        Map<String, String> empty = new LinkedHashMap<>();
        for (String expr : exprs) {
            String promql = expr.replace("$__rate_interval", RATE_INTERVAL).replace("${instance}", instance).replace("$instance", instance);
            assertThat(promql).as("unsubstituted Grafana variable").doesNotContain("$");
            JsonNode result = prometheus.query(promql).path("result");
            if (result.isEmpty()) {
                empty.put(expr, promql);
            }
        }
        assertThat(empty).as("panel queries without any series (Prometheus log:%n%s)", prometheus.log()).isEmpty();
    }

    @Test
    void everyAlertRuleIsLoadedAndEvaluatesWithoutError() {
        TreeSet<String> expected = new TreeSet<>(MonitoringContract.alertNames(infra));
        assertThat(expected).isNotEmpty();
        // Rules are evaluated every 15 s; wait until each has been evaluated once.
        Await.until("every alert rule evaluated", Duration.ofSeconds(60), () -> alertHealth().values().stream().noneMatch("unknown"::equals));
        Map<String, String> health = alertHealth();
        assertThat(health.keySet()).isEqualTo(expected);
        assertThat(health).as("rule health (lastError in /api/v1/rules)").allSatisfy((name, h) -> assertThat(h).isEqualTo("ok"));
        for (String expr : MonitoringContract.ruleExpressions(infra)) {
            prometheus.query(expr);
        }
    }

    private Map<String, String> alertHealth() {
        Map<String, String> health = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode group : prometheus.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if ("alerting".equals(rule.path("type").asText())) {
                    health.put(rule.path("name").asText(), rule.path("health").asText());
                    if (!rule.path("lastError").asText().isEmpty()) {
                        errors.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
                    }
                }
            }
        }
        assertThat(errors).isEmpty();
        return health;
    }
}
