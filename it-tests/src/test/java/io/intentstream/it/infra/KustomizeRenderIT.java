package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl kustomize infra/k8s} (the kubectl on the PATH, else Debian's kubernetes-client,
 * installed by infra/ci/tools.sh) renders the manifests as {@code kubectl apply -k} would send
 * them: every listed resource, in the kustomization's namespace, with its image override. No
 * cluster is involved, so admission (e.g. the restricted Pod Security Standard) is not tested.
 */
class KustomizeRenderIT {
    private final Path k8s = InfraFiles.infra().resolve("k8s");

    @Test
    void rendersEveryResourceInTheNamespaceWithTheImageOverride() throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", k8s.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<JsonNode> rendered = docs(out);

        JsonNode kustomization = InfraFiles.yaml(k8s.resolve("kustomization.yaml"));
        int listed = 0;
        for (JsonNode resource : kustomization.path("resources")) {
            listed += InfraFiles.yamlDocs(k8s.resolve(resource.asText())).size();
        }
        assertThat(rendered).hasSize(listed);

        String namespace = kustomization.path("namespace").asText();
        for (JsonNode doc : rendered) {
            if (!doc.path("kind").asText().equals("Namespace")) {
                assertThat(doc.path("metadata").path("namespace").asText()).as(doc.path("metadata").path("name").asText()).isEqualTo(namespace);
            }
        }
        List<String> images = new ArrayList<>();
        rendered.stream().filter(d -> d.path("kind").asText().equals("StatefulSet"))
                .forEach(d -> d.path("spec").path("template").path("spec").path("containers").forEach(c -> images.add(c.path("image").asText())));
        for (JsonNode override : kustomization.path("images")) {
            String name = override.path("newName").asText(override.path("name").asText());
            assertThat(images).contains(name + ":" + override.path("newTag").asText());
        }
    }

    private static List<JsonNode> docs(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = InfraFiles.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && doc.isObject()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
