package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is well formed for file provisioning (variables, unique ids and refIds,
 * a layout without overlaps) and shows the app: every metric family the dashboards and alerts
 * use is the app's own or a client metric verified against a real scrape. That each panel query
 * returns data is proven against a real Prometheus by PrometheusQueryIT; Grafana's own rendering
 * is not tested.
 */
class DashboardTest {
    /**
     * Non-app series the dashboards/alerts may use. Each was checked in a Prometheus scrape of a
     * Kafka Streams 4.3.1 instance bound to Micrometer 1.17.2's KafkaStreamsMetrics,
     * JvmMemoryMetrics and ProcessorMetrics (KafkaMetrics names a Kafka metric
     * "kafka." + group without "-metrics" + "." + name, dashes to dots).
     */
    static final Set<String> CLIENT_SERIES = Set.of(
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_process_rate",
            "jvm_memory_used_bytes",
            "jvm_memory_max_bytes",
            "process_cpu_usage");

    private final Path infra = InfraFiles.infra();

    @Test
    void dashboardsAreProvisionedModelsWithTheDatasourceAndInstanceVariables() {
        List<Path> dashboards = MonitoringContract.dashboardFiles(infra);
        assertThat(dashboards).isNotEmpty();
        String provisionedUid = InfraFiles.yaml(infra.resolve("grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").path(0).path("uid").asText();
        assertThat(provisionedUid).isNotBlank();
        for (Path file : dashboards) {
            JsonNode d = MonitoringContract.readJson(file);
            assertThat(d.path("uid").asText()).matches("[A-Za-z0-9_-]{1,40}");
            assertThat(d.path("title").asText()).isNotBlank();
            assertThat(d.path("schemaVersion").isInt()).isTrue();
            assertThat(d.has("dashboard")).as("provisioned files hold the dashboard model itself").isFalse();

            Map<String, JsonNode> variables = new LinkedHashMap<>();
            d.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
            assertThat(variables).containsKeys("DS_PROMETHEUS", "instance");
            assertThat(variables.get("DS_PROMETHEUS").path("type").asText()).isEqualTo("datasource");
            assertThat(variables.get("DS_PROMETHEUS").path("query").asText()).isEqualTo("prometheus");
            assertThat(variables.get("DS_PROMETHEUS").path("current").path("value").asText()).isEqualTo(provisionedUid);
            assertThat(variables.get("instance").path("type").asText()).isEqualTo("query");
        }
    }

    @Test
    void panelsHaveUniqueIdsAndDoNotOverlap() {
        for (Path file : MonitoringContract.dashboardFiles(infra)) {
            List<JsonNode> panels = panels(file);
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : panels) {
                String title = p.path("title").asText();
                assertThat(title).isNotBlank();
                assertThat(ids.add(p.path("id").asInt(-1))).as("unique id of panel %s", title).isTrue();
                assertThat(p.path("type").asText()).as("type of %s", title).isNotBlank();
                JsonNode g = p.path("gridPos");
                for (String k : List.of("h", "w", "x", "y")) {
                    assertThat(g.path(k).isInt()).as("gridPos.%s of %s", k, title).isTrue();
                }
                int x = g.path("x").asInt(), y = g.path("y").asInt(), w = g.path("w").asInt(), h = g.path("h").asInt();
                assertThat(x).isGreaterThanOrEqualTo(0);
                assertThat(w).isPositive();
                assertThat(h).isPositive();
                assertThat(x + w).as("panel %s fits in 24 columns", title).isLessThanOrEqualTo(24);
                for (int[] b : boxes) {
                    boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                    assertThat(overlap).as("panel %s overlaps another panel", title).isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
            }
        }
    }

    @Test
    void everyQueryUsesTheDatasourceVariableAndFiltersByInstance() {
        for (Path file : MonitoringContract.dashboardFiles(infra)) {
            for (JsonNode p : panels(file)) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                String title = p.path("title").asText();
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(p.path("targets")).as("targets of %s", title).isNotEmpty();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(refIds.add(t.path("refId").asText())).as("unique refId in %s", title).isTrue();
                    assertThat(t.path("expr").asText()).as("expr in %s", title).isNotBlank().contains("$instance");
                }
            }
        }
    }

    @Test
    void everyAppMetricFamilyIsOnTheDashboard() {
        Set<String> onDashboard = new TreeSet<>();
        MonitoringContract.dashboardExpressions(infra).forEach(e -> onDashboard.addAll(family(MonitoringContract.metricNamesInExpr(e))));
        Set<String> referenced = family(MonitoringContract.metricNamesReferenced(infra));
        assertThat(onDashboard).as("families used anywhere (alerts included) are shown").containsAll(referenced);
    }

    @Test
    void referencedMetricsAreTheAppsOwnOrVerifiedClientMetrics() {
        Set<String> names = MonitoringContract.metricNamesReferenced(infra);
        assertThat(names).isNotEmpty().doesNotContainAnyElementsOf(MonitoringContract.PROMETHEUS_GENERATED);
        assertThat(names.stream().filter(n -> !n.startsWith("intentstream_")))
                .as("a non-app series is used only once verified against a real scrape (CLIENT_SERIES)")
                .isSubsetOf(CLIENT_SERIES);
    }

    /** Series names to metric families: histogram and summary suffixes dropped. */
    private static Set<String> family(Set<String> series) {
        Set<String> out = new TreeSet<>();
        for (String s : series) {
            out.add(s.replaceFirst("_(bucket|count|sum|max)$", ""));
        }
        return out;
    }

    private static List<JsonNode> panels(Path file) {
        List<JsonNode> panels = new ArrayList<>();
        InfraFiles.collectPanels(MonitoringContract.readJson(file).path("panels"), panels);
        assertThat(panels).isNotEmpty();
        return panels;
    }
}
