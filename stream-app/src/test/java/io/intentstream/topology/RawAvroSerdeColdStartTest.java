package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.Recommendation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store serde for a generated class must work in a JVM where nothing trusted that class yet:
 * Avro refuses untrusted classes, and in one JVM the other tests trust them first, which hid a
 * serde that reflected on its class before trusting it (the JMH topology benchmark failed at
 * start). So this runs in a JVM of its own.
 */
class RawAvroSerdeColdStartTest {
    /** The child JVM: builds the serde first thing and round-trips a value. */
    public static void main(String[] args) {
        var serde = RawAvroSerde.of(Recommendation.class);
        Recommendation r = Recommendation.newBuilder().setUserId("u1").setItems(List.of())
                .setStrategy(io.intentstream.intent.RecommendationStrategy.POPULARITY_FALLBACK).setFiltersApplied(List.of())
                .setReason("cold start").setGeneratedAt(java.time.Instant.ofEpochMilli(1)).setModelVersion("v").build();
        if (!serde.deserializer().deserialize("t", serde.serializer().serialize("t", r)).equals(r)) {
            throw new AssertionError("round trip changed the value");
        }
    }

    @Test
    void aStoreSerdeWorksInAJvmThatTrustedNothingYet() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("cold-start", ".log"); // a file, not a pipe: a chatty child cannot block on it
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                RawAvroSerdeColdStartTest.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
            assertThat(p.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
