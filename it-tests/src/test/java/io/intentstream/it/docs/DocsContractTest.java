package io.intentstream.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Topic names live in {@link Topics}; the docs only repeat them. Every topic the README and the
 * infra manifests name must exist there, and the README's table must list all of them.
 */
class DocsContractTest {
    private static final Pattern TOPIC = Pattern.compile("\\b(?:shop|intent)\\.[a-z]+(?:\\.[a-z]+)*\\.v[0-9]+\\b");
    private static final Path ROOT = Path.of(System.getProperty("intentstream.repo.root", ".."));

    @Test
    void readmeTopicTableListsExactlyTheContractTopics() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Topics"), readme.indexOf("## What the app guarantees"));
        assertThat(topicsIn(table)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void noDocOrManifestNamesATopicThatDoesNotExist() throws IOException {
        Set<String> named = new TreeSet<>(topicsIn(Files.readString(ROOT.resolve("README.md"))));
        try (var files = Files.walk(ROOT.resolve("infra"))) {
            // Build outputs under infra/ (the Kafka stand-in's jars in target/) are not docs.
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/")).toList()) {
                named.addAll(topicsIn(Files.readString(f)));
            }
        }
        assertThat(named).isNotEmpty();
        assertThat(Topics.ALL).containsAll(named);
    }

    private static Set<String> topicsIn(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = TOPIC.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
