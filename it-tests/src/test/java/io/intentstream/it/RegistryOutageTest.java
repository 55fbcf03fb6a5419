package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.server.SchemaRegistryServer;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by probing: an instance started while the schema registry was down dead-lettered good
 * events as REGISTRY_UNAVAILABLE (21.6% of them with registry retries off). An outage is the
 * registry's fault, not the records': nothing may be dead-lettered, the app must say it is not
 * ready, and every event must be scored once the registry is back.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
class RegistryOutageTest {
    private static final int USERS = 30;
    private static final int EVENTS_PER_USER = 4;

    @Test
    void goodEventsWaitForTheRegistryInsteadOfBeingDeadLettered(TestKafka kafka) throws Exception {
        kafka.createTopics();
        Path registryData = Files.createTempDirectory("it-registry").resolve("schemas.json");
        SchemaRegistryServer registry = SchemaRegistryServer.builder().dataFile(registryData).build().start();
        int registryPort = registry.port();
        String registryUrl = registry.url();

        List<String> users = new ArrayList<>();
        try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), registryUrl)) {
            for (int u = 0; u < USERS; u++) {
                String user = "outage-user-" + u;
                users.add(user);
                ShopTraffic.session(user, EVENTS_PER_USER, 900 + u).forEach(producer::send);
            }
            producer.flush();
            assertThat(producer.failures()).isZero();
        }
        registry.close();

        Map<String, String> settings = kafka.appSettings("it-outage", Files.createTempDirectory("it-outage"));
        settings.put("registry.schema.registry.url", registryUrl);
        // No client retries: every decode meets the outage head-on (the probe's worst case).
        settings.put("registry.intentstream.registry.retries", "0");
        try (IntentStreamApp app = new IntentStreamApp(IntentConfig.of(settings), AppOptions.loopback(0)).start();
             OutputReader outputs = new OutputReader(kafka.bootstrapServers(), registryUrl, List.of(Topics.SCORES))) {
            Await.until("decodes failing on the registry", Duration.ofSeconds(60), () ->
                    app.meterRegistry().get(IntentMetrics.REGISTRY_UNAVAILABLE).counter().count() > 0);
            Thread.sleep(3000);
            assertThat(Http.status(app.httpUrl() + "/health/ready")).isEqualTo(503);
            assertThat(app.isLive()).isTrue();
            assertThat(deadLetterEndOffsets(kafka))
                    .as(() -> DeadLetterReader.describeAll(kafka.bootstrapServers())).isZero();

            SchemaRegistryServer back = SchemaRegistryServer.builder().port(registryPort).dataFile(registryData).build().start();
            try {
                Await.until("every event scored after the outage", Duration.ofSeconds(90), () -> {
                    outputs.poll();
                    Map<String, Integer> last = new HashMap<>();
                    outputs.values(Topics.SCORES).forEach(s -> last.put(s.getUserId(), s.getSequenceLength()));
                    return users.stream().allMatch(u -> last.getOrDefault(u, 0) == EVENTS_PER_USER);
                });
                Await.until("ready after the outage", Duration.ofSeconds(90),
                        () -> Http.status(app.httpUrl() + "/health/ready") == 200);
                assertThat(deadLetterEndOffsets(kafka))
                    .as(() -> DeadLetterReader.describeAll(kafka.bootstrapServers())).isZero();
                assertThat(app.meterRegistry().find(IntentMetrics.DLQ_RECORDS).counters()).allSatisfy(c ->
                        assertThat(c.count()).isZero());
            } finally {
                back.close();
            }
        }
    }

    /** Records ever written to the dead-letter topic, committed or not. */
    private static long deadLetterEndOffsets(TestKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(Topics.DEAD_LETTER.name())).allTopicNames().get()
                    .get(Topics.DEAD_LETTER.name()).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, partitions).forEach(p -> latest.put(new TopicPartition(Topics.DEAD_LETTER.name(), p), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }
}
