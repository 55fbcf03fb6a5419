package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every YAML file under {@code infra/} parses, and every document in it is a mapping. */
class InfraYamlTest {
    @Test
    void everyYamlFileUnderInfraParses() throws IOException {
        Path infra = InfraFiles.infra();
        List<Path> files = InfraFiles.files(infra, ".yml", ".yaml");
        // One per consumer at least: compose, Prometheus, Grafana provisioning, Kubernetes.
        assertThat(files).extracting(p -> infra.relativize(p).getName(0).toString())
                .contains("compose", "prometheus", "grafana", "k8s");
        for (Path file : files) {
            assertThat(InfraFiles.yamlDocs(file)).as("documents in %s", file).isNotEmpty().allMatch(JsonNode::isObject);
        }
    }
}
