package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Alert rules are complete and actionable: each has a pending period, a severity that routes,
 * a summary, a description and a runbook section in infra/README.md (and each runbook section
 * belongs to an alert); everything an alert watches can be seen on the dashboard. That the rules
 * load, evaluate and fire correctly is proven by PromtoolRulesIT and PrometheusQueryIT.
 */
class AlertRulesTest {
    private static final Pattern RUNBOOK_SECTION = Pattern.compile("(?m)^### (\\S+)\\s*$");

    private final Path infra = InfraFiles.infra();

    private List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (Path file : MonitoringContract.ruleFiles(infra)) {
            for (JsonNode group : InfraFiles.yaml(file).path("groups")) {
                assertThat(group.path("name").asText()).isNotBlank();
                group.path("rules").forEach(r -> {
                    if (r.has("alert")) {
                        alerts.add(r);
                    }
                });
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    @Test
    void everyAlertHasForSeverityAndAnnotations() {
        Set<String> names = new HashSet<>();
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            assertThat(names.add(name)).as("alert names are unique: %s", name).isTrue();
            assertThat(name).matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(alert.path("expr").asText()).as("expr of %s", name).isNotBlank();
            assertThat(alert.path("for").asText()).as("for of %s", name).matches("([0-9]+(ms|s|m|h|d|w|y))+");
            assertThat(alert.path("labels").path("severity").asText()).as("severity of %s", name)
                    .isIn("critical", "warning", "info");
            assertThat(alert.path("annotations").path("summary").asText()).as("summary of %s", name).isNotBlank();
            assertThat(alert.path("annotations").path("description").asText()).as("description of %s", name).isNotBlank();
        }
    }

    @Test
    void everyAlertHasARunbookSectionAndEverySectionAnAlert() throws IOException {
        String readme = Files.readString(infra.resolve("README.md"));
        Set<String> sections = new TreeSet<>();
        Matcher m = RUNBOOK_SECTION.matcher(readme.substring(readme.indexOf("\n## Runbook")));
        while (m.find()) {
            sections.add(m.group(1));
        }
        Set<String> alertNames = new TreeSet<>();
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            alertNames.add(name);
            String runbook = alert.path("annotations").path("runbook").asText(alert.path("annotations").path("runbook_url").asText());
            // GitHub's anchor for "### Name" is "#name".
            assertThat(runbook).as("runbook of %s", name).isEqualTo("infra/README.md#" + name.toLowerCase());
        }
        assertThat(sections).as("runbook sections of infra/README.md").isEqualTo(alertNames);
    }

    @Test
    void everyMetricAnAlertWatchesIsOnTheDashboard() {
        Set<String> onDashboard = new TreeSet<>();
        MonitoringContract.dashboardExpressions(infra).forEach(e -> onDashboard.addAll(MonitoringContract.metricNamesInExpr(e)));
        for (JsonNode alert : alerts()) {
            Set<String> watched = new TreeSet<>(MonitoringContract.metricNamesInExpr(alert.path("expr").asText()));
            watched.removeAll(MonitoringContract.PROMETHEUS_GENERATED);
            assertThat(onDashboard).as("metrics of %s on the dashboard", alert.path("alert").asText()).containsAll(watched);
        }
    }

    @Test
    void alertsCoverTheSignalsAnSreIsPagedFor() {
        Set<String> watched = new TreeSet<>();
        alerts().forEach(a -> watched.addAll(MonitoringContract.metricNamesInExpr(a.path("expr").asText())));
        // Lag, dead letters, inference and end-to-end latency, GPU fallback, model health, scoring health.
        assertThat(watched).contains("kafka_consumer_fetch_manager_records_lag_max", "intentstream_dlq_records_total",
                "intentstream_inference_latency_seconds_bucket", "intentstream_event_to_output_latency_seconds_bucket",
                "intentstream_inference_provider_fallbacks_total", "intentstream_model_loaded",
                "intentstream_scoring_failures_total", "intentstream_scores_emitted_total");
        assertThat(alerts()).anyMatch(a -> a.path("expr").asText().matches("(?s)\\s*up\\{.*== 0\\s*"));
    }
}
