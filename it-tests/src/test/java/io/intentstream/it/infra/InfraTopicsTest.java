package io.intentstream.it.infra;

import static io.intentstream.it.infra.InfraFiles.compose;
import static io.intentstream.it.infra.InfraFiles.files;
import static io.intentstream.it.infra.InfraFiles.text;
import static io.intentstream.it.infra.InfraFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Topic names in the deployment files are the contract's ({@link Topics}): no file names a topic
 * the app does not know, and both topic-creation scripts (compose, Kubernetes Job) create exactly
 * the contract's topics.
 */
class InfraTopicsTest {
    /** A versioned topic name as used in this project (shop.*.vN / intent.*.vN). */
    private static final Pattern TOPIC = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(?:shop|intent)\\.[a-z0-9]+(?:[._-][a-z0-9]+)*\\.v[0-9]+(?![A-Za-z0-9_-])");

    private final Path infra = InfraFiles.infra();

    @Test
    void everyTopicNamedInInfraIsAContractTopic() throws IOException {
        List<Path> scanned = new ArrayList<>(files(infra, ".yml", ".yaml", ".properties", ".md"));
        assertThat(scanned).isNotEmpty();
        for (Path file : scanned) {
            assertThat(topicsIn(Files.readString(file)))
                    .as("topic names in %s (io.intentstream.schemas.Topics)", infra.relativize(file))
                    .isSubsetOf(Topics.ALL);
        }
    }

    @Test
    void bothTopicCreationScriptsCreateExactlyTheContractTopics() {
        String composeScript = text(compose().path("services").path("kafka-init-topics").path("command"));
        assertThat(createdTopics(composeScript)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        JsonNode job = yaml(infra.resolve("k8s/topics-job.yaml"));
        String jobScript = text(job.path("spec").path("template").path("spec").path("containers").path(0).path("args"));
        assertThat(createdTopics(jobScript)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void topicPatternFindsVersionedNamesOnly() {
        assertThat(topicsIn("create shop.browse.v1 6; see intent.dlq.v1, not shop.browse or my.shop.browse.v1x"))
                .containsExactly("intent.dlq.v1", "shop.browse.v1");
    }

    private static Set<String> topicsIn(String text) {
        Set<String> topics = new TreeSet<>();
        Matcher m = TOPIC.matcher(text);
        while (m.find()) {
            topics.add(m.group());
        }
        return topics;
    }

    /** Topics of the {@code create <topic> ...} lines of a topic-creation script. */
    private static List<String> createdTopics(String script) {
        List<String> topics = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*create\\s+([A-Za-z0-9._-]+)").matcher(script);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }
}
