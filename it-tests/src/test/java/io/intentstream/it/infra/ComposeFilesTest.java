package io.intentstream.it.infra;

import static io.intentstream.it.infra.InfraFiles.bindMounts;
import static io.intentstream.it.infra.InfraFiles.compose;
import static io.intentstream.it.infra.InfraFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The compose stack is wired consistently: images pinned, start order backed by health checks,
 * every mounted file exists, Prometheus scrapes the app where the app listens, Grafana reads the
 * provisioning and dashboards the repository has. That the file is valid compose is checked by
 * {@code docker-compose config} in {@code ComposeConfigIT}.
 */
class ComposeFilesTest {
    private final Path infra = InfraFiles.infra();
    private final Path composeDir = infra.resolve("compose");

    @Test
    void imagesArePinnedAndStartOrderIsBackedByHealthchecks() {
        JsonNode services = compose().path("services");
        assertThat(services.size()).isGreaterThanOrEqualTo(3);
        services.properties().forEach(e -> {
            String name = e.getKey();
            JsonNode service = e.getValue();
            String image = service.path("image").asText("");
            assertThat(image.isEmpty() && !service.has("build")).as("%s has an image or a build", name).isFalse();
            if (!image.isEmpty() && !service.has("build")) {
                String tag = image.substring(image.lastIndexOf('/') + 1);
                assertThat(tag).as("image of %s is pinned", name).contains(":").doesNotEndWith(":latest");
            }
            service.path("depends_on").properties().forEach(dep -> {
                assertThat(services.has(dep.getKey())).as("%s depends on a defined service", name).isTrue();
                String condition = dep.getValue().path("condition").asText();
                assertThat(condition).isIn("service_started", "service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(services.path(dep.getKey()).path("healthcheck").path("test").isArray())
                            .as("%s waits for %s to be healthy: it needs a healthcheck", name, dep.getKey()).isTrue();
                }
            });
            boolean oneShot = "no".equals(service.path("restart").asText());
            if (!oneShot) {
                assertThat(service.path("healthcheck").path("test").isArray()).as("long-running %s has a healthcheck", name).isTrue();
            }
        });
    }

    @Test
    void theAppStartsOnlyAfterItsTopicsExist() {
        JsonNode services = compose().path("services");
        String app = appService();
        List<String> completed = new ArrayList<>();
        services.path(app).path("depends_on").properties().forEach(d -> {
            if (d.getValue().path("condition").asText().equals("service_completed_successfully")) {
                completed.add(d.getKey());
            }
        });
        assertThat(completed).as("the app waits for a one-shot service (topic creation)").isNotEmpty();
    }

    @Test
    void buildContextsAndBindMountsExist() {
        JsonNode services = compose().path("services");
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : services.properties()) {
            JsonNode build = e.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = composeDir.resolve(build.isTextual() ? build.asText() : build.path("context").asText(".")).normalize();
                assertThat(context).as("build context of %s", e.getKey()).isDirectory();
                assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile"))).isRegularFile();
                checked++;
            }
            for (String source : bindMounts(e.getValue()).keySet()) {
                assertThat(composeDir.resolve(source).normalize()).as("%s mounts %s", e.getKey(), source).exists();
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void prometheusLoadsTheRepositoryConfigAndRulesAndScrapesTheApp() throws IOException {
        JsonNode services = compose().path("services");
        String promService = serviceWithArgPrefix("--config.file=");
        Map<String, String> byTarget = new HashMap<>();
        bindMounts(services.path(promService)).forEach((src, dst) -> byTarget.put(dst, src));
        String configFile = argValue(services.path(promService), "--config.file=");
        assertThat(composeDir.resolve(byTarget.get(configFile)).normalize()).isEqualTo(infra.resolve("prometheus/prometheus.yml"));

        JsonNode prometheus = yaml(infra.resolve("prometheus/prometheus.yml"));
        List<Path> mountedRules = new ArrayList<>();
        for (JsonNode ruleFile : prometheus.path("rule_files")) {
            String source = byTarget.get(ruleFile.asText());
            assertThat(source).as("rule file %s is mounted", ruleFile.asText()).isNotNull();
            mountedRules.add(composeDir.resolve(source).normalize());
        }
        assertThat(mountedRules).as("every rule file is loaded").containsExactlyInAnyOrderElementsOf(MonitoringContract.ruleFiles(infra));

        // The app job scrapes <app service>:<its http.port>, which is where the app listens.
        String app = appService();
        Properties appConfig = appConfig(services.path(app));
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("job_name").asText().startsWith("intent-stream")) {
                assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
                job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        assertThat(targets).containsExactly(app + ":" + appConfig.getProperty("http.port"));
    }

    @Test
    void grafanaIsProvisionedFromTheRepositoryAndPointsAtPrometheus() {
        JsonNode services = compose().path("services");
        String grafana = services.properties().stream().filter(e -> e.getValue().path("image").asText().contains("grafana"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        Map<String, String> mounts = bindMounts(services.path(grafana));
        assertThat(mounts).containsEntry("../grafana/provisioning/datasources", "/etc/grafana/provisioning/datasources")
                .containsEntry("../grafana/provisioning/dashboards", "/etc/grafana/provisioning/dashboards");
        JsonNode providers = yaml(infra.resolve("grafana/provisioning/dashboards/dashboards.yml"));
        assertThat(providers.path("providers")).isNotEmpty();
        for (JsonNode provider : providers.path("providers")) {
            assertThat(provider.path("type").asText()).isEqualTo("file");
            String dir = provider.path("options").path("path").asText();
            String source = mounts.entrySet().stream().filter(m -> m.getValue().equals(dir)).map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(composeDir.resolve(source).normalize()).isEqualTo(infra.resolve("grafana/dashboards"));
        }
        JsonNode ds = yaml(infra.resolve("grafana/provisioning/datasources/prometheus.yml")).path("datasources").path(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        URI url = URI.create(ds.path("url").asText());
        String promService = serviceWithArgPrefix("--config.file=");
        assertThat(url.getHost()).isEqualTo(promService);
        assertThat(services.path(promService).path("ports").toString()).contains(":" + url.getPort() + "\"");
    }

    /** The service built from the repository's Dockerfile. */
    private static String appService() {
        return compose().path("services").properties().stream().filter(e -> e.getValue().has("build"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private Properties appConfig(JsonNode app) throws IOException {
        for (Map.Entry<String, String> m : bindMounts(app).entrySet()) {
            if (m.getValue().endsWith(".properties")) {
                return InfraFiles.properties(composeDir.resolve(m.getKey()));
            }
        }
        throw new AssertionError("the app service mounts no .properties file");
    }

    private static String serviceWithArgPrefix(String prefix) {
        return compose().path("services").properties().stream().filter(e -> argValue(e.getValue(), prefix) != null)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String argValue(JsonNode service, String prefix) {
        for (JsonNode arg : service.path("command")) {
            if (arg.asText().startsWith(prefix)) {
                return arg.asText().substring(prefix.length());
            }
        }
        return null;
    }
}
