package io.intentstream.it.infra;

import static io.intentstream.it.infra.InfraFiles.labelsMatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests parse into objects that reference each other correctly (selectors,
 * service names, volumes, the config file path) and agree with the image (uid, port, state
 * directory). KustomizeRenderIT renders them with {@code kubectl kustomize}; nothing applies them
 * to a cluster.
 */
class KubernetesManifestsTest {
    private final Path infra = InfraFiles.infra();

    @Test
    void everyManifestIsAnObjectInTheNamespace() throws IOException {
        Set<String> kinds = new HashSet<>();
        for (Path file : InfraFiles.files(infra.resolve("k8s"), ".yaml", ".yml")) {
            for (JsonNode doc : InfraFiles.yamlDocs(file)) {
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
                            .isEqualTo(namespace());
                }
            }
        }
        assertThat(kinds).contains("Namespace", "ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget");
    }

    private String namespace() throws IOException {
        return InfraFiles.k8sByKind().get("Namespace").get(0).path("metadata").path("name").asText();
    }

    @Test
    void servicesAndBudgetSelectTheStatefulSetPods() throws IOException {
        Map<String, List<JsonNode>> byKind = InfraFiles.k8sByKind();
        JsonNode spec = byKind.get("StatefulSet").get(0).path("spec");
        JsonNode podLabels = spec.path("template").path("metadata").path("labels");
        assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(labelsMatch(spec.path("selector").path("matchLabels"), podLabels)).isTrue();
        List<JsonNode> services = byKind.get("Service");
        JsonNode headless = headless(services);
        assertThat(spec.path("serviceName").asText()).isEqualTo(headless.path("metadata").path("name").asText());
        assertThat(services).anyMatch(s -> !"None".equals(s.path("spec").path("clusterIP").asText())
                && s.path("spec").path("type").asText("ClusterIP").equals("ClusterIP"));
        for (JsonNode s : services) {
            assertThat(labelsMatch(s.path("spec").path("selector"), podLabels)).isTrue();
        }
        JsonNode pdb = byKind.get("PodDisruptionBudget").get(0);
        assertThat(labelsMatch(pdb.path("spec").path("selector").path("matchLabels"), podLabels)).isTrue();
    }

    @Test
    void eachPodAdvertisesItsStableDnsNameForInteractiveQueries() throws IOException {
        Map<String, List<JsonNode>> byKind = InfraFiles.k8sByKind();
        JsonNode container = container(byKind);
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertThat(env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        List<String> order = new ArrayList<>(env.keySet());
        assertThat(order.indexOf("POD_NAME")).as("defined before it is referenced").isLessThan(order.indexOf("INTENTSTREAM_STREAMS_APPLICATION_SERVER"));
        assertThat(env.get("INTENTSTREAM_STREAMS_APPLICATION_SERVER").path("value").asText())
                .startsWith("$(POD_NAME)." + headless(byKind.get("Service")).path("metadata").path("name").asText() + ".")
                .endsWith(":" + container.path("ports").path(0).path("containerPort").asInt());
    }

    @Test
    void probesResourcesAndSecurityMatchTheImage() throws IOException {
        Map<String, List<JsonNode>> byKind = InfraFiles.k8sByKind();
        JsonNode pod = byKind.get("StatefulSet").get(0).path("spec").path("template").path("spec");
        JsonNode container = container(byKind);
        Properties config = configMapProperties(byKind);
        JsonNode port = container.path("ports").path(0);
        assertThat(port.path("containerPort").asText()).isEqualTo(config.getProperty("http.port"));
        assertThat(config.getProperty("http.bind")).as("reachable by the kubelet and other pods").isEqualTo("0.0.0.0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo(port.path("name").asText());
        }
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotBlank();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotBlank();
        assertThat(container.path("image").asText()).contains(":").doesNotEndWith(":latest");

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        String imageUid = InfraFiles.dockerInstructions(infra.resolve("docker/Dockerfile")).stream()
                .filter(i -> i.startsWith("ARG APP_UID=")).findFirst().orElseThrow().substring("ARG APP_UID=".length());
        assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(imageUid);
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("time for Kafka Streams to commit and checkpoint")
                .isGreaterThanOrEqualTo(30);
    }

    @Test
    void stateIsOnTheClaimTemplateAndConfigComesFromTheConfigMap() throws IOException {
        Map<String, List<JsonNode>> byKind = InfraFiles.k8sByKind();
        JsonNode spec = byKind.get("StatefulSet").get(0).path("spec");
        JsonNode pod = spec.path("template").path("spec");
        JsonNode container = container(byKind);
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        String stateMount = mounts.get(spec.path("volumeClaimTemplates").path(0).path("metadata").path("name").asText());
        assertThat(stateMount).isNotBlank();
        Properties config = configMapProperties(byKind);
        assertThat(config.getProperty("streams.state.dir")).startsWith(stateMount + "/");
        assertThat(Integer.parseInt(config.getProperty("streams.num.standby.replicas"))).as("warm standby for fast failover").isPositive();

        String configMapName = byKind.get("ConfigMap").get(0).path("metadata").path("name").asText();
        String configVolume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (configMapName.equals(v.path("configMap").path("name").asText())) {
                configVolume = v.path("name").asText();
            }
        }
        assertThat(configVolume).isNotNull();
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("run", "--config");
        assertThat(args.get(2)).isEqualTo(mounts.get(configVolume) + "/intent-stream.properties");
    }

    private static JsonNode headless(List<JsonNode> services) {
        return services.stream().filter(s -> "None".equals(s.path("spec").path("clusterIP").asText())).findFirst().orElseThrow();
    }

    private static JsonNode container(Map<String, List<JsonNode>> byKind) {
        return byKind.get("StatefulSet").get(0).path("spec").path("template").path("spec").path("containers").path(0);
    }

    private static Properties configMapProperties(Map<String, List<JsonNode>> byKind) {
        return InfraFiles.properties(byKind.get("ConfigMap").get(0).path("data").path("intent-stream.properties").asText());
    }
}
