package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.intentstream.schemas.Topics;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of everything under {@code infra/}: the files parse, have the structure their
 * consumer (Docker, Compose, Prometheus, Grafana, Kubernetes) expects, and agree with each other and
 * with the code (topic names of {@link Topics}, the app's metric names, the jar path, the uid).
 * Nothing here needs Docker or a cluster.
 */
class InfraFilesTest {

    /** The app's metrics as Prometheus series names (the stream-app contract). */
    static final Set<String> APP_SERIES = Set.of(
            "intentstream_events_in_total",
            "intentstream_dlq_records_total",
            "intentstream_inference_batch_size_count", "intentstream_inference_batch_size_sum",
            "intentstream_inference_batch_size_max", "intentstream_inference_batch_size_bucket",
            "intentstream_inference_latency_seconds_bucket", "intentstream_inference_latency_seconds_count",
            "intentstream_inference_latency_seconds_sum", "intentstream_inference_latency_seconds_max",
            "intentstream_event_to_output_latency_seconds_bucket", "intentstream_event_to_output_latency_seconds_count",
            "intentstream_event_to_output_latency_seconds_sum", "intentstream_event_to_output_latency_seconds_max",
            "intentstream_model_info",
            "intentstream_model_loaded",
            "intentstream_model_swaps_total",
            "intentstream_inference_provider_fallbacks_total",
            "intentstream_scoring_dirty_users",
            "intentstream_scores_emitted_total",
            "intentstream_scoring_failures_total",
            "intentstream_triggers_total",
            "intentstream_sequence_length_count", "intentstream_sequence_length_sum", "intentstream_sequence_length_max",
            "intentstream_state_store_entries",
            "intentstream_erasures_total",
            "intentstream_sequences_expired_total");

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

    static final Set<String> REQUIRED_ON_DASHBOARD = Set.of(
            "intentstream_events_in_total", "intentstream_dlq_records_total",
            "intentstream_inference_latency_seconds_bucket", "intentstream_event_to_output_latency_seconds_bucket",
            "intentstream_inference_batch_size_sum", "intentstream_inference_batch_size_count",
            "intentstream_scoring_dirty_users", "intentstream_triggers_total", "intentstream_model_info",
            "kafka_consumer_fetch_manager_records_lag_max", "intentstream_state_store_entries",
            "jvm_memory_used_bytes", "process_cpu_usage");

    /** A versioned topic name as used in this project (shop.*.vN / intent.*.vN). */
    static final Pattern TOPIC = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(?:shop|intent)\\.[a-z0-9]+(?:[._-][a-z0-9]+)*\\.v[0-9]+(?![A-Za-z0-9_-])");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();

    static Path infra;
    static Path repo;

    @BeforeAll
    static void locate() {
        infra = MonitoringContract.locateInfraDir();
        repo = infra.getParent();
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void everyYamlFileUnderInfraParses() throws IOException {
        List<Path> files = files(infra, ".yml", ".yaml");
        assertThat(files).extracting(p -> infra.relativize(p).toString().replace('\\', '/'))
                .contains("compose/docker-compose.yml", "prometheus/prometheus.yml", "prometheus/alerts.yml",
                        "grafana/provisioning/datasources/prometheus.yml",
                        "grafana/provisioning/dashboards/dashboards.yml",
                        "k8s/namespace.yaml", "k8s/configmap.yaml", "k8s/statefulset.yaml",
                        "k8s/services.yaml", "k8s/pdb.yaml", "k8s/kustomization.yaml");
        for (Path file : files) {
            assertThat(yamlDocs(file)).as("documents in %s", file).isNotEmpty().allMatch(JsonNode::isObject);
        }
    }

    // ------------------------------------------------------------------ Dockerfile

    @Test
    void dockerfileBuildsANonRootImageOfTheLauncherJar() throws IOException {
        Path dockerfile = infra.resolve("docker/Dockerfile");
        List<String> instructions = dockerInstructions(dockerfile);

        assertThat(instructions).anyMatch(i -> i.matches("ARG BASE_IMAGE=eclipse-temurin:17\\S*jre\\S*"));
        assertThat(instructions).anyMatch(i -> i.equals("FROM ${BASE_IMAGE}"));
        List<String> users = instructions.stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotMatch("USER (root|0)(:.*)?");
        assertThat(instructions).contains("EXPOSE 8080");
        assertThat(instructions).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("/health/live"));
        assertThat(instructions).anyMatch(i -> i.startsWith("VOLUME ") && i.contains("/var/lib/intent-stream"));
        assertThat(instructions).anyMatch(i -> i.startsWith("ENV ") && i.contains("-XX:MaxRAMPercentage="));

        // The jar is the one the launcher script and the Maven build produce.
        String launcher = Files.readString(repo.resolve("intent-stream"));
        assertThat(launcher).contains("/stream-app/target/intent-stream.jar\"");
        assertThat(instructions).contains(
                "COPY --chown=root:root --chmod=0644 stream-app/target/intent-stream.jar /app/intent-stream.jar");

        // Effective command = ENTRYPOINT + CMD (both exec form).
        List<String> command = new ArrayList<>(execForm(instructions, "ENTRYPOINT"));
        command.addAll(execForm(instructions, "CMD"));
        assertThat(String.join(" ", command))
                .isEqualTo("java -jar /app/intent-stream.jar run --config /etc/intent-stream/intent-stream.properties");

        // Every COPY source exists (build outputs excepted) and is let through the .dockerignore.
        List<String> ignore = Files.readAllLines(infra.resolve("docker/Dockerfile.dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String copy : instructions.stream().filter(i -> i.startsWith("COPY ")).toList()) {
            List<String> args = Stream.of(copy.split("\\s+")).skip(1).filter(a -> !a.startsWith("--")).toList();
            for (String src : args.subList(0, args.size() - 1)) {
                if (!src.startsWith("stream-app/target/")) {
                    assertThat(repo.resolve(src)).as("COPY source").isRegularFile();
                }
                assertThat(ignore).as("Dockerfile.dockerignore lets %s through", src).contains("!" + src);
            }
        }
    }

    // ------------------------------------------------------------------ compose

    @Test
    void composeHasTheStackWithPinnedImagesHealthchecksAndValidDependencies() {
        JsonNode services = compose().path("services");
        assertThat(fieldNames(services)).contains(
                "kafka", "schema-registry", "kafka-init-topics", "intent-stream", "prometheus", "grafana");

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
                    assertThat(services.path(dep.getKey()).path("healthcheck").has("test"))
                            .as("%s waits for %s to be healthy: it needs a healthcheck", name, dep.getKey()).isTrue();
                }
            });
        });
        for (String name : List.of("kafka", "schema-registry", "intent-stream", "prometheus", "grafana")) {
            assertThat(services.path(name).path("healthcheck").path("test").isArray()).as("healthcheck of %s", name).isTrue();
        }
        assertThat(services.path("intent-stream").path("depends_on").path("kafka-init-topics").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("schema-registry").path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
    }

    @Test
    void composeReferencesFilesThatExist() {
        Path composeDir = infra.resolve("compose");
        JsonNode services = compose().path("services");
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : iterable(services)) {
            JsonNode build = e.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = composeDir.resolve(build.isTextual() ? build.asText() : build.path("context").asText(".")).normalize();
                assertThat(context).as("build context of %s", e.getKey()).isDirectory();
                assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile"))).isRegularFile();
                checked++;
            }
            for (Map.Entry<String, String> mount : bindMounts(e.getValue()).entrySet()) {
                assertThat(composeDir.resolve(mount.getKey()).normalize())
                        .as("%s mounts %s", e.getKey(), mount.getKey()).exists();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(7);
        assertThat(compose().path("services").path("intent-stream").path("build").path("context").asText()).isEqualTo("../..");
    }

    @Test
    void composeWiresPrometheusAndGrafanaToTheirFiles() throws IOException {
        JsonNode services = compose().path("services");
        Map<String, String> promMounts = bindMounts(services.path("prometheus"));
        Map<String, String> byTarget = new HashMap<>();
        promMounts.forEach((src, dst) -> byTarget.put(dst, src));

        // --config.file and each rule file are mounted from infra/prometheus/.
        String configFile = null;
        for (JsonNode arg : services.path("prometheus").path("command")) {
            if (arg.asText().startsWith("--config.file=")) {
                configFile = arg.asText().substring("--config.file=".length());
            }
        }
        assertThat(byTarget.get(configFile)).isEqualTo("../prometheus/prometheus.yml");
        JsonNode prometheus = yaml(infra.resolve("prometheus/prometheus.yml"));
        assertThat(prometheus.path("rule_files")).isNotEmpty();
        for (JsonNode ruleFile : prometheus.path("rule_files")) {
            String source = byTarget.get(ruleFile.asText());
            assertThat(source).as("rule file %s is mounted", ruleFile.asText()).isNotNull();
            assertThat(MonitoringContract.ruleFiles(infra)).contains(infra.resolve("compose").resolve(source).normalize());
        }

        // The scrape target is the app service on its HTTP port.
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("job_name").asText().startsWith("intent-stream")) {
                assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
                job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
            }
        }
        assertThat(targets).contains("intent-stream:8080");
        assertThat(services.path("intent-stream").path("ports").toString()).contains("8080:8080");

        // Grafana: provisioning dirs and the dashboards dir the provider reads.
        Map<String, String> grafanaMounts = bindMounts(services.path("grafana"));
        assertThat(grafanaMounts).containsEntry("../grafana/provisioning/datasources", "/etc/grafana/provisioning/datasources")
                .containsEntry("../grafana/provisioning/dashboards", "/etc/grafana/provisioning/dashboards");
        JsonNode providers = yaml(infra.resolve("grafana/provisioning/dashboards/dashboards.yml"));
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers.path("providers")).isNotEmpty();
        for (JsonNode provider : providers.path("providers")) {
            assertThat(provider.path("type").asText()).isEqualTo("file");
            assertThat(grafanaMounts).containsEntry("../grafana/dashboards", provider.path("options").path("path").asText());
        }
        JsonNode datasources = yaml(infra.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode ds = datasources.path("datasources").path(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(services.has("prometheus")).isTrue();
    }

    // ------------------------------------------------------------------ topics

    @Test
    void topicNamesInComposeAndK8sAreTheTopicsConstants() throws IOException {
        List<Path> scanned = new ArrayList<>(files(infra.resolve("compose"), ".yml", ".yaml", ".properties"));
        scanned.addAll(files(infra.resolve("k8s"), ".yml", ".yaml"));
        scanned.addAll(files(infra.resolve("docker"), ".properties"));
        scanned.addAll(files(infra.resolve("prometheus"), ".yml"));
        scanned.add(infra.resolve("README.md"));
        for (Path file : scanned) {
            assertThat(topicsIn(Files.readString(file)))
                    .as("topic names in %s (io.intentstream.schemas.Topics)", infra.relativize(file))
                    .isSubsetOf(Topics.ALL);
        }
        // Both topic-creation scripts create exactly Topics.ALL.
        String composeScript = text(compose().path("services").path("kafka-init-topics").path("command"));
        assertThat(createdTopics(composeScript)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        JsonNode job = yaml(infra.resolve("k8s/topics-job.yaml"));
        String jobScript = text(job.path("spec").path("template").path("spec").path("containers").path(0).path("args"));
        assertThat(createdTopics(jobScript)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void everyAlertHasForSeverityAnnotationsAndARunbookSection() throws IOException {
        String readme = Files.readString(infra.resolve("README.md"));
        List<JsonNode> alerts = new ArrayList<>();
        for (Path file : MonitoringContract.ruleFiles(infra)) {
            for (JsonNode group : yaml(file).path("groups")) {
                assertThat(group.path("name").asText()).isNotBlank();
                group.path("rules").forEach(r -> {
                    if (r.has("alert")) {
                        alerts.add(r);
                    }
                });
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6);
        Set<String> names = new HashSet<>();
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(names.add(name)).as("alert names are unique: %s", name).isTrue();
            assertThat(name).matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(alert.path("expr").asText()).as("expr of %s", name).isNotBlank();
            assertThat(alert.path("for").asText()).as("for of %s", name).matches("([0-9]+(ms|s|m|h|d|w|y))+");
            assertThat(alert.path("labels").path("severity").asText()).as("severity of %s", name)
                    .isIn("critical", "warning", "info");
            JsonNode annotations = alert.path("annotations");
            assertThat(annotations.path("summary").asText()).as("summary of %s", name).isNotBlank();
            assertThat(annotations.path("description").asText()).as("description of %s", name).isNotBlank();
            String runbook = annotations.path("runbook").asText(annotations.path("runbook_url").asText());
            assertThat(runbook).as("runbook of %s", name).endsWith("#" + name.toLowerCase());
            assertThat(readme).as("README runbook section for %s", name).contains("\n### " + name + "\n");
        }
        // The alert set the platform promised: lag, DLQ, p99 latency, CPU fallback, model, instance down.
        List<String> exprs = alerts.stream().map(a -> a.path("expr").asText()).toList();
        assertThat(exprs).anyMatch(e -> e.contains("kafka_consumer_fetch_manager_records_lag_max"));
        assertThat(exprs).anyMatch(e -> e.contains("intentstream_dlq_records_total"));
        assertThat(exprs).anyMatch(e -> e.contains("histogram_quantile(0.99") && e.contains("intentstream_inference_latency_seconds_bucket"));
        assertThat(exprs).anyMatch(e -> e.contains("intentstream_inference_provider_fallbacks_total") && e.contains("intentstream_model_info"));
        assertThat(exprs).anyMatch(e -> e.contains("intentstream_model_loaded"));
        assertThat(exprs).anyMatch(e -> e.matches("(?s)\\s*up\\{.*== 0\\s*"));
    }

    // ------------------------------------------------------------------ Grafana dashboard

    @Test
    void dashboardHasGrafanaProvisioningStructure() {
        List<Path> dashboards = MonitoringContract.dashboardFiles(infra);
        assertThat(dashboards).extracting(p -> p.getFileName().toString()).contains("intent-stream.json");
        String provisionedUid = yaml(infra.resolve("grafana/provisioning/datasources/prometheus.yml"))
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

            List<JsonNode> panels = new ArrayList<>();
            collectPanels(d.path("panels"), panels);
            assertThat(panels).hasSizeGreaterThan(10);
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

                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(p.path("targets")).as("targets of %s", title).isNotEmpty();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(refIds.add(t.path("refId").asText())).as("unique refId in %s", title).isTrue();
                    assertThat(t.path("expr").asText()).as("expr in %s", title).isNotBlank().contains("$instance");
                }
            }
        }
        Set<String> onDashboard = new TreeSet<>();
        MonitoringContract.dashboardExpressions(infra).forEach(e -> onDashboard.addAll(MonitoringContract.metricNamesInExpr(e)));
        assertThat(onDashboard).containsAll(REQUIRED_ON_DASHBOARD);
    }

    // ------------------------------------------------------------------ metric contract

    @Test
    void referencedMetricsAreTheAppContractPlusVerifiedClientMetrics() {
        Set<String> names = MonitoringContract.metricNamesReferenced(infra);
        assertThat(names).isNotEmpty().doesNotContain("up").contains(
                "intentstream_events_in_total", "intentstream_dlq_records_total",
                "intentstream_inference_latency_seconds_bucket", "intentstream_event_to_output_latency_seconds_bucket",
                "intentstream_model_info", "intentstream_model_loaded", "intentstream_inference_provider_fallbacks_total",
                "kafka_consumer_fetch_manager_records_lag_max");
        Set<String> allowed = new HashSet<>(APP_SERIES);
        allowed.addAll(CLIENT_SERIES);
        assertThat(names).as("every referenced series is an app metric or a verified client metric; "
                + "add a new one to APP_SERIES/CLIENT_SERIES only once it is known to exist").isSubsetOf(allowed);
    }

    // ------------------------------------------------------------------ Kubernetes

    @Test
    void everyK8sManifestIsAValidObjectInTheNamespace() throws IOException {
        List<Path> manifests = files(infra.resolve("k8s"), ".yaml", ".yml");
        Set<String> kinds = new HashSet<>();
        for (Path file : manifests) {
            for (JsonNode doc : yamlDocs(file)) {
                String kind = doc.path("kind").asText();
                kinds.add(kind);
                assertThat(doc.path("apiVersion").asText()).as("apiVersion in %s", file).isNotBlank();
                assertThat(kind).as("kind in %s", file).isNotBlank();
                if (kind.equals("Kustomization")) {
                    for (JsonNode resource : doc.path("resources")) {
                        assertThat(infra.resolve("k8s").resolve(resource.asText())).isRegularFile();
                    }
                    continue;
                }
                assertThat(doc.path("metadata").path("name").asText()).as("metadata.name in %s", file).isNotBlank();
                if (!kind.equals("Namespace")) {
                    assertThat(doc.path("metadata").path("namespace").asText()).as("namespace in %s", file)
                            .isEqualTo("intent-stream");
                }
            }
        }
        assertThat(kinds).contains("Namespace", "ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget");
    }

    @Test
    void statefulSetHasPersistentStateStableIdentityProbesAndNonRootSecurity() throws IOException {
        Map<String, List<JsonNode>> byKind = k8sByKind();
        JsonNode sts = byKind.get("StatefulSet").get(0);
        JsonNode spec = sts.path("spec");
        JsonNode pod = spec.path("template").path("spec");
        JsonNode podLabels = spec.path("template").path("metadata").path("labels");
        JsonNode container = pod.path("containers").path(0);

        assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(labelsMatch(spec.path("selector").path("matchLabels"), podLabels)).isTrue();

        // Headless service for per-pod DNS, a ClusterIP service for clients, PDB on the same pods.
        List<JsonNode> services = byKind.get("Service");
        JsonNode headless = services.stream().filter(s -> "None".equals(s.path("spec").path("clusterIP").asText())).findFirst().orElseThrow();
        assertThat(spec.path("serviceName").asText()).isEqualTo(headless.path("metadata").path("name").asText());
        assertThat(services).anyMatch(s -> !"None".equals(s.path("spec").path("clusterIP").asText())
                && s.path("spec").path("type").asText("ClusterIP").equals("ClusterIP"));
        for (JsonNode s : services) {
            assertThat(labelsMatch(s.path("spec").path("selector"), podLabels)).isTrue();
        }
        JsonNode pdb = byKind.get("PodDisruptionBudget").get(0);
        assertThat(labelsMatch(pdb.path("spec").path("selector").path("matchLabels"), podLabels)).isTrue();

        // application.server = <POD_NAME>.<headless service>...:<port>, POD_NAME from the downward API.
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertThat(env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        List<String> envOrder = new ArrayList<>(env.keySet());
        assertThat(envOrder.indexOf("POD_NAME")).isLessThan(envOrder.indexOf("INTENTSTREAM_STREAMS_APPLICATION_SERVER"));
        assertThat(env.get("INTENTSTREAM_STREAMS_APPLICATION_SERVER").path("value").asText())
                .startsWith("$(POD_NAME)." + headless.path("metadata").path("name").asText() + ".")
                .endsWith(":8080");

        // Probes on the health endpoints of the named HTTP port.
        assertThat(container.path("ports").path(0).path("name").asText()).isEqualTo("http");
        assertThat(container.path("ports").path(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotBlank();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotBlank();
        assertThat(container.path("image").asText()).contains(":").doesNotEndWith(":latest");

        // Non-root, same uid as the image.
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        String dockerUid = dockerInstructions(infra.resolve("docker/Dockerfile")).stream()
                .filter(i -> i.startsWith("ARG APP_UID=")).findFirst().orElseThrow().substring("ARG APP_UID=".length());
        assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(dockerUid);
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(30);

        // State dir on the volumeClaimTemplate; config file from the ConfigMap at the --config path.
        String stateVolume = spec.path("volumeClaimTemplates").path(0).path("metadata").path("name").asText();
        assertThat(stateVolume).isNotBlank();
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        String stateMount = mounts.get(stateVolume);
        assertThat(stateMount).isEqualTo("/var/lib/intent-stream");

        JsonNode configMap = byKind.get("ConfigMap").get(0);
        Properties props = new Properties();
        props.load(new StringReader(configMap.path("data").path("intent-stream.properties").asText()));
        assertThat(props.getProperty("streams.num.standby.replicas")).isEqualTo("1");
        assertThat(props.getProperty("streams.state.dir")).startsWith(stateMount);
        assertThat(props.getProperty("http.bind")).isEqualTo("0.0.0.0");
        assertThat(props.getProperty("http.port")).isEqualTo("8080");

        String configVolume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (configMap.path("metadata").path("name").asText().equals(v.path("configMap").path("name").asText())) {
                configVolume = v.path("name").asText();
            }
        }
        assertThat(configVolume).isNotNull();
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("run", "--config");
        assertThat(args.get(2)).isEqualTo(mounts.get(configVolume) + "/intent-stream.properties");
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode compose() {
        return yaml(infra.resolve("compose/docker-compose.yml"));
    }

    static JsonNode yaml(Path file) {
        return MonitoringContract.readYaml(file);
    }

    static List<JsonNode> yamlDocs(Path file) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        }
    }

    static Map<String, List<JsonNode>> k8sByKind() throws IOException {
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        for (Path file : files(infra.resolve("k8s"), ".yaml", ".yml")) {
            for (JsonNode doc : yamlDocs(file)) {
                byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
            }
        }
        return byKind;
    }

    /** Short-syntax ("src:dst[:mode]") and long-syntax bind mounts of a compose service: source -> target. */
    static Map<String, String> bindMounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode v : service.path("volumes")) {
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                    mounts.put(parts[0], parts[1]);
                }
            } else if ("bind".equals(v.path("type").asText())) {
                mounts.put(v.path("source").asText(), v.path("target").asText());
            }
        }
        return mounts;
    }

    static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : iterable(selector)) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static Set<String> topicsIn(String text) {
        Set<String> topics = new TreeSet<>();
        Matcher m = TOPIC.matcher(text);
        while (m.find()) {
            topics.add(m.group());
        }
        return topics;
    }

    /** Topics of the {@code create <topic> ...} lines of a topic-creation script. */
    static List<String> createdTopics(String script) {
        List<String> topics = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*create\\s+([A-Za-z0-9._-]+)").matcher(script);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }

    /** A string node, or the string elements of an array node joined by newlines. */
    static String text(JsonNode node) {
        if (!node.isArray()) {
            return node.asText("");
        }
        List<String> parts = new ArrayList<>();
        node.forEach(n -> parts.add(n.asText("")));
        return String.join("\n", parts);
    }

    /** Dockerfile instructions: continuation lines joined, comments and blank lines dropped. */
    static List<String> dockerInstructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String instruction = current.toString().replaceAll("\\s+", " ").strip();
            if (!instruction.isEmpty()) {
                out.add(instruction);
            }
            current.setLength(0);
        }
        return out;
    }

    static List<String> execForm(List<String> instructions, String keyword) {
        String last = null;
        for (String i : instructions) {
            if (i.startsWith(keyword + " ")) {
                last = i.substring(keyword.length() + 1);
            }
        }
        assertThat(last).as("%s in exec form", keyword).isNotNull().startsWith("[");
        try {
            List<String> parts = new ArrayList<>();
            JSON.readTree(last).forEach(n -> parts.add(n.asText()));
            return parts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir, String... suffixes) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted().toList();
        }
    }

    static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collectPanels(p.path("panels"), out);
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }
}
