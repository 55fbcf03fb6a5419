package io.intentstream.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Testcontainers run of it-tests/pom.xml (execution {@code testcontainers-backend}) covers
 * every test that takes its broker from {@code KafkaExtension}: it includes all
 * {@code io.intentstream.it.*Test} classes and excludes exactly the others (their own broker, or none).
 */
class BackendCoverageTest {
    private static final Pattern EXECUTION = Pattern.compile("(?s)<id>testcontainers-backend</id>(.*?)</execution>");
    private static final Pattern EXCLUDE = Pattern.compile("<exclude>io/intentstream/it/(\\w+)\\.java</exclude>");

    @Test
    void excludesExactlyTheTestsWithTheirOwnBroker() throws IOException {
        Path itTests = InfraFiles.repo().resolve("it-tests");
        Matcher execution = EXECUTION.matcher(Files.readString(itTests.resolve("pom.xml")));
        assertThat(execution.find()).as("execution testcontainers-backend in it-tests/pom.xml").isTrue();
        assertThat(execution.group(1)).contains("<include>io/intentstream/it/*Test.java</include>");
        Set<String> excluded = new TreeSet<>();
        Matcher m = EXCLUDE.matcher(execution.group(1));
        while (m.find()) {
            excluded.add(m.group(1));
        }

        Set<String> notKafkaExtension = new TreeSet<>();
        Set<String> kafkaExtension = new TreeSet<>();
        try (Stream<Path> files = Files.list(itTests.resolve("src/test/java/io/intentstream/it"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Test.java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                (Files.readString(f).contains("@ExtendWith(KafkaExtension.class)") ? kafkaExtension : notKafkaExtension).add(name);
            }
        }
        assertThat(kafkaExtension).isNotEmpty();
        assertThat(excluded).as("tests left out of the Testcontainers run").isEqualTo(notKafkaExtension);
    }
}
