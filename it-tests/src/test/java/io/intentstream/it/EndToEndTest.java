package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.it.infra.MonitoringContract;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path on a real broker: Avro events through the registry into the app, all three
 * outputs read back {@code read_committed}, and the HTTP surface answering from the stores.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class EndToEndTest {
    private static final List<String> USERS = List.of("e2e-user-1", "e2e-user-2", "e2e-user-3", "e2e:user@4");
    private static final int EVENTS_PER_USER = 6;

    private IntentStreamApp app;
    private OutputReader outputs;
    private String base;
    private String bootstrap;

    @BeforeAll
    void start(TestKafka kafka) throws IOException {
        kafka.createTopics();
        Map<String, String> settings = kafka.observedAppSettings("it-e2e", Files.createTempDirectory("it-e2e-state"));
        app = new IntentStreamApp(IntentConfig.of(settings), AppOptions.loopback(0)).start();
        base = app.httpUrl();
        bootstrap = kafka.bootstrapServers();
        Await.until("app ready (" + base + "/health/ready)", Duration.ofSeconds(90), () -> Http.status(base + "/health/ready") == 200);

        try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
            long seed = 1;
            for (String user : USERS) {
                for (ShopEvent e : ShopTraffic.session(user, EVENTS_PER_USER, seed++)) {
                    producer.send(e);
                }
            }
            producer.flush();
            assertThat(producer.failures()).isZero();
        }
        sendPoisonRecord(kafka);
        outputs = new OutputReader(kafka, Topics.KEYED_OUTPUTS);
        Await.until("a score with all events for every test user", Duration.ofSeconds(60), () -> {
            outputs.poll();
            Map<String, Integer> longest = outputs.values(Topics.SCORES).stream()
                    .collect(Collectors.toMap(IntentScore::getUserId, IntentScore::getSequenceLength, Math::max));
            return USERS.stream().allMatch(u -> longest.getOrDefault(u, 0) == EVENTS_PER_USER);
        });
        Await.until("recommendations and triggers for every test user", Duration.ofSeconds(30), () -> {
            outputs.poll();
            Set<String> recs = outputs.values(Topics.RECOMMENDATIONS).stream()
                    .map(Recommendation::getUserId).collect(Collectors.toSet());
            Set<String> triggered = outputs.values(Topics.TRIGGERS).stream()
                    .map(IntentTrigger::getUserId).collect(Collectors.toSet());
            return recs.containsAll(USERS) && triggered.containsAll(USERS);
        });
    }

    /** Bytes that are not registry-framed Avro: must be dead-lettered, never stop the app. */
    private static void sendPoisonRecord(TestKafka kafka) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.BROWSE.name(), "e2e-poison", "not avro".getBytes(StandardCharsets.UTF_8)));
            raw.flush();
        }
    }

    @AfterAll
    void stop() {
        if (outputs != null) {
            outputs.close();
        }
        if (app != null) {
            app.close(Duration.ofSeconds(20));
        }
    }

    @Test
    void scoresAreValidProbabilitiesForEveryUser() {
        List<IntentScore> scores = outputs.values(Topics.SCORES);
        assertThat(scores).extracting(IntentScore::getUserId).containsAll(USERS);
        assertThat(scores).allSatisfy(s -> {
            assertThat(s.getPurchaseProbability()).isBetween(0.0, 1.0);
            assertThat(s.getNextAction()).isNotEmpty();
            assertThat(s.getModelVersion()).isNotBlank();
        });
    }

    @Test
    void recommendationsAreRankedWithoutDuplicates() {
        List<Recommendation> recs = outputs.values(Topics.RECOMMENDATIONS);
        assertThat(recs).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getItems()).isNotEmpty();
            assertThat(r.getItems().stream().map(i -> i.getItemId()).distinct().count()).isEqualTo(r.getItems().size());
            assertThat(r.getItems().get(0).getRank()).isEqualTo(1);
        });
    }

    @Test
    void triggersHaveUniqueIds() {
        List<IntentTrigger> triggers = outputs.values(Topics.TRIGGERS);
        assertThat(triggers).isNotEmpty();
        assertThat(triggers).extracting(IntentTrigger::getTriggerId).doesNotHaveDuplicates();
    }

    @Test
    void intentEndpointServesTheLatestScore() {
        HttpResponse<String> r = Http.get(base + "/users/e2e-user-1/intent");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).contains("\"user_id\":\"e2e-user-1\"").contains("\"purchase_probability\":")
                .contains("\"sequence_length\":" + EVENTS_PER_USER);
        // Ids with ':' and '@' are valid and need no escaping.
        assertThat(Http.status(base + "/users/e2e:user@4/intent")).isEqualTo(200);
    }

    @Test
    void recommendationsEndpointServesTheLatestList() {
        HttpResponse<String> r = Http.get(base + "/users/e2e-user-2/recommendations");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"user_id\":\"e2e-user-2\"").contains("\"items\":[{");
    }

    @Test
    void unknownUsersAre404AndMalformedIds400() {
        assertThat(Http.status(base + "/users/nobody-at-all/intent")).isEqualTo(404);
        assertThat(Http.status(base + "/users/nobody-at-all/recommendations")).isEqualTo(404);
        assertThat(Http.status(base + "/users/bad%20id/intent")).isEqualTo(400);
        assertThat(Http.status(base + "/users/" + "x".repeat(129) + "/intent")).isEqualTo(400);
        assertThat(Http.status(base + "/users/%3Cscript%3E/recommendations")).isEqualTo(400);
        assertThat(Http.status(base + "/users/e2e-user-1/elsewhere")).isEqualTo(404);
    }

    @Test
    void healthProbesAreUp() {
        assertThat(Http.status(base + "/health/live")).isEqualTo(200);
        HttpResponse<String> ready = Http.get(base + "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void metricsExposeAppStreamsAndJvmSeries() {
        HttpResponse<String> r = Http.get(base + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("intentstream_scores_emitted_total", "intentstream_inference_latency_seconds_bucket",
                "intentstream_events_in_total{", "intentstream_model_info{", "kafka_stream_", "jvm_memory_used_bytes");
    }

    @Test
    void poisonRecordIsDeadLetteredAndTheAppKeepsRunning() {
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(Topics.DEAD_LETTER.name()));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            Await.until("the poison record on " + Topics.DEAD_LETTER.name(), Duration.ofSeconds(30), () -> {
                dlq.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().anyMatch(r -> "e2e-poison".equals(r.key()));
            });
            ConsumerRecord<String, byte[]> dead = seen.stream().filter(r -> "e2e-poison".equals(r.key())).findFirst().orElseThrow();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).as("original bytes").isEqualTo("not avro");
            assertThat(DeadLetterReader.header(dead, "__streams.errors.topic")).isEqualTo(Topics.BROWSE.name());
            assertThat(DeadLetterReader.header(dead, "__streams.errors.exception")).isNotBlank();
            assertThat(DeadLetterReader.header(dead, DeadLetterReasons.HEADER)).isEqualTo("UNKNOWN_MAGIC_BYTE");
        }
        // Counted once its transaction committed; it used to be lost when the dead letter opened the transaction.
        Await.until("the dead letter counted", Duration.ofSeconds(10), () -> {
            var c = app.meterRegistry().find(IntentMetrics.DLQ_RECORDS).tag("reason", "UNKNOWN_MAGIC_BYTE").counter();
            return c != null && c.count() == 1;
        });
        assertThat(app.isLive()).isTrue();
        assertThat(Http.status(base + "/health/ready")).isEqualTo(200);
    }


    /** Every series the dashboards and alert rules in infra/ use exists in the running app. */
    @Test
    void monitoringContractIsSatisfied() {
        Set<String> referenced = MonitoringContract.metricNamesReferenced(Path.of(System.getProperty("intentstream.repo.root", ".."), "infra"));
        assertThat(referenced).isNotEmpty();
        Set<String> missing = new TreeSet<>(referenced);
        try {
            // Some series appear with their first observation (a dead letter, the first punctuation).
            Await.until("every series used by infra/ in /metrics", Duration.ofSeconds(30), () -> {
                missing.clear();
                missing.addAll(referenced);
                missing.removeAll(exposedSeries(Http.get(base + "/metrics").body()));
                return missing.isEmpty();
            });
        } catch (AssertionError e) {
            assertThat(missing).as("series used by infra/ but absent from /metrics").isEmpty();
        }
    }

    static Set<String> exposedSeries(String prometheusText) {
        Set<String> names = new TreeSet<>();
        for (String line : prometheusText.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
