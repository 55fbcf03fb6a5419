package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL scan of {@link MonitoringContract} on hand-written expressions. */
class MonitoringContractTest {

    @Test
    void histogramQuantileKeepsTheBucketSeriesNameAndDropsLabelsAndDurations() {
        assertThat(MonitoringContract.metricNamesInExpr(
                "histogram_quantile(0.99, sum by (instance, le) (rate(intentstream_inference_latency_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("intentstream_inference_latency_seconds_bucket");
    }

    @Test
    void binaryOperatorsKeywordsAndNumbersAreNotMetrics() {
        assertThat(MonitoringContract.metricNamesInExpr("""
                sum by (instance) (rate(intentstream_dlq_records_total[5m]))
                  / on (instance) group_left sum(rate(intentstream_events_in_total[5m])) > bool 1e-3
                or (intentstream_model_info{provider=~"(?i)cpu", gpu_expected="true"} offset 1h30m == 1)
                unless ignoring(job) up{job="x"} # trailing comment with fake_metric
                """))
                .containsExactlyInAnyOrder("intentstream_dlq_records_total", "intentstream_events_in_total",
                        "intentstream_model_info", "up");
    }

    @Test
    void aggregationWithTrailingGroupingAndFunctionsWithStringArguments() {
        assertThat(MonitoringContract.metricNamesInExpr(
                "label_replace(sum(jvm_memory_used_bytes{area=\"heap\"}) without (id), \"dst\", \"$1\", \"src\", \"(.*)\") or vector(0)"))
                .containsExactly("jvm_memory_used_bytes");
        assertThat(MonitoringContract.metricNamesInExpr("max_over_time(process_cpu_usage[30m:1m])"))
                .containsExactly("process_cpu_usage");
        assertThat(MonitoringContract.metricNamesInExpr("time() - 3600")).isEmpty();
    }

    @Test
    void grafanaVariableQueries() {
        assertThat(MonitoringContract.metricNamesInGrafanaVariableQuery("label_values(intentstream_model_loaded, instance)"))
                .containsExactly("intentstream_model_loaded");
        assertThat(MonitoringContract.metricNamesInGrafanaVariableQuery("label_values(kafka_stream_thread_process_rate{job=\"a,b\"}, thread_id)"))
                .containsExactly("kafka_stream_thread_process_rate");
        assertThat(MonitoringContract.metricNamesInGrafanaVariableQuery("label_values(instance)")).isEmpty();
        assertThat(MonitoringContract.metricNamesInGrafanaVariableQuery("query_result(topk(5, intentstream_state_store_entries))"))
                .containsExactly("intentstream_state_store_entries");
        assertThat(MonitoringContract.metricNamesInGrafanaVariableQuery("metrics(intentstream_.*)")).isEmpty();
    }

    @Test
    void contractOfThisRepositoryExcludesUpAndOnlyHoldsSeriesNames() {
        Path infra = MonitoringContract.locateInfraDir();
        Set<String> names = MonitoringContract.metricNamesReferenced(infra);
        assertThat(names).isNotEmpty().doesNotContain("up", "le", "instance", "job", "client_id", "by", "sum");
        assertThat(names).allMatch(n -> n.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), "is a metric name");
        // The alert rules use `up`: present in the expressions, excluded from the contract.
        assertThat(MonitoringContract.ruleExpressions(infra)).anyMatch(e -> MonitoringContract.metricNamesInExpr(e).contains("up"));
    }
}
