package io.intentstream.it;

import io.intentstream.app.TopicCreation;
import io.intentstream.demo.EmbeddedRegistry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A broker plus the project's schema registry for one test class, injected by
 * {@link KafkaExtension}. Which broker is chosen by {@code INTENTSTREAM_IT_KAFKA}: unset or
 * {@code in-jvm} = in-process KRaft broker; {@code testcontainers} = a local Kafka image.
 */
public final class TestKafka implements AutoCloseable {
    private final KafkaBackend kafka;
    private final EmbeddedRegistry registry;

    TestKafka() {
        this(chooseBackend());
    }

    /** A given backend, for tests that need a particular one (the container tests). */
    TestKafka(KafkaBackend kafka) {
        this.kafka = kafka;
        registry = EmbeddedRegistry.start();
    }

    private static KafkaBackend chooseBackend() {
        String mode = System.getenv().getOrDefault("INTENTSTREAM_IT_KAFKA", "in-jvm").toLowerCase(Locale.ROOT);
        return "testcontainers".equals(mode) ? new ContainerKafka() : new InJvmKafka();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /**
     * Settings that point an app at this broker and registry: single-node replication, its own
     * application id and state directory, one ORT thread (the tests share 2 cores). Mutable, so
     * a test adds what it is about.
     */
    public Map<String, String> appSettings(String applicationId, Path stateDir) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrapServers());
        s.put("registry.schema.registry.url", registryUrl());
        s.put("streams.application.id", applicationId);
        s.put("streams.state.dir", stateDir.toString());
        s.put("streams.replication.factor", "1");
        s.put("inference.intra.op.threads", "1");
        return s;
    }

    /**
     * {@link #appSettings} for a test that watches every output: the idle punctuator ticks every
     * 500 ms (store-size gauges appear quickly) and every scored shopper fires a trigger (the
     * trigger topic and series must not stay empty).
     */
    public Map<String, String> observedAppSettings(String applicationId, Path stateDir) {
        Map<String, String> s = appSettings(applicationId, stateDir);
        s.put("sequence.idle.check.interval.ms", "500");
        s.put("trigger.high-intent.upper", "0.000001");
        s.put("trigger.high-intent.lower", "0.0");
        return s;
    }

    /** Creates the contract's topics (3 partitions, 1 replica) if missing. */
    public void createTopics() {
        TopicCreation.ensure(Map.of("bootstrap.servers", bootstrapServers()), 3, (short) 1);
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
