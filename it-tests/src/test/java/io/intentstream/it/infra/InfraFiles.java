package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Reading the files under {@code infra/} for the static infra tests: where they are, YAML (multi-
 * document), Dockerfile instructions, compose bind mounts, Kubernetes objects by kind.
 */
final class InfraFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();

    private InfraFiles() {}

    static Path infra() {
        return MonitoringContract.locateInfraDir();
    }

    static Path repo() {
        return infra().getParent();
    }

    static JsonNode yaml(Path file) {
        return MonitoringContract.readYaml(file);
    }

    static JsonNode compose() {
        return yaml(infra().resolve("compose/docker-compose.yml"));
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

    static List<Path> files(Path dir, String... suffixes) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            // Build outputs (infra/kafka-standin/target/) are not infrastructure files.
            return walk.filter(Files::isRegularFile).filter(p -> !dir.relativize(p).toString().contains("target/"))
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted().toList();
        }
    }

    static Map<String, List<JsonNode>> k8sByKind() throws IOException {
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        for (Path file : files(infra().resolve("k8s"), ".yaml", ".yml")) {
            for (JsonNode doc : yamlDocs(file)) {
                byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
            }
        }
        return byKind;
    }

    static Properties properties(String text) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    static Properties properties(Path file) throws IOException {
        return properties(Files.readString(file));
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
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
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

    /** The arguments of the last {@code keyword} instruction, which must be in exec (JSON) form. */
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

    /** COPY instructions as source(s) -> destination, flags dropped. */
    static Map<String, String> copies(List<String> instructions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String copy : instructions.stream().filter(i -> i.startsWith("COPY ")).toList()) {
            List<String> args = Stream.of(copy.split("\\s+")).skip(1).filter(a -> !a.startsWith("--")).toList();
            for (String src : args.subList(0, args.size() - 1)) {
                out.put(src, args.get(args.size() - 1));
            }
        }
        return out;
    }

    static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collectPanels(p.path("panels"), out);
        }
    }
}
