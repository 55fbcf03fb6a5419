package io.intentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ships: the production jar (the Docker image's) carries no Kafka broker, no registry server
 * and no demo, only linux-x64 native libraries, and stays under {@code production.jar.max.bytes}
 * (the build's enforcer checks the size too, at verify).
 */
class ProductionJarTest {
    static final Path JAR = Path.of(System.getProperty("intentstream.repo.root", ".."), "stream-app", "target",
            "intent-stream.jar");
    static List<String> entries;

    @BeforeAll
    static void readTheJar() throws IOException {
        assertThat(JAR).as("the production jar is built by the package phase (./mvnw verify builds it)").isRegularFile();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsTheAppAndNoBrokerRegistryServerOrDemo() {
        assertThat(entries).contains("io/intentstream/cli/IntentStreamCli.class",
                "io/intentstream/topology/IntentTopology.class", "model/prefill.onnx", "model/step.onnx", "model/recommend.onnx",
                "org/apache/kafka/streams/KafkaStreams.class");
        assertThat(entries).noneMatch(e -> e.startsWith("kafka/") && e.endsWith(".class")) // kafka_2.13 (broker, Scala)
                .noneMatch(e -> e.startsWith("org/apache/kafka/server/purgatory/"))       // kafka-server
                .noneMatch(e -> e.startsWith("org/apache/kafka/server/share/"))
                .noneMatch(e -> e.startsWith("org/apache/kafka/raft/"))                   // kafka-raft (KRaft quorum)
                .noneMatch(e -> e.startsWith("scala/"))
                .noneMatch(e -> e.startsWith("io/intentstream/registry/server/"))
                .noneMatch(e -> e.startsWith("io/intentstream/demo/"));
    }

    @Test
    void carriesNativeLibrariesForLinuxX64Only() {
        assertThat(entries).contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so", "librocksdbjni-linux64.so");
        assertThat(entries.stream().filter(e -> e.startsWith("ai/onnxruntime/native/") && !e.endsWith("/")))
                .allMatch(e -> e.startsWith("ai/onnxruntime/native/linux-x64/"));
        assertThat(entries.stream().filter(e -> e.startsWith("librocksdbjni"))).containsExactly("librocksdbjni-linux64.so");
    }

    @Test
    void staysUnderItsSizeBound() throws IOException {
        long max = Long.parseLong(System.getProperty("production.jar.max.bytes", "80000000"));
        assertThat(Files.size(JAR)).isLessThanOrEqualTo(max);
    }
}
