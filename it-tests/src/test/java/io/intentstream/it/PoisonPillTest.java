package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.ingest.DeadLetterBounds;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.EventValidator;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by probing: three valid search events with a query of about a megabyte crash-looped the
 * app: their dead letters were over the app producer's 1 MB request limit and Kafka Streams'
 * default production handler answered the failed send with another dead letter of the same
 * source, recursing until a StackOverflowError, with the good events behind them stuck. Input
 * topics commonly accept larger records than the app's producer writes (here 4 MB), which is
 * where this bites. Now dead letters are cut to size and everything flows.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
class PoisonPillTest {
    private static final int USERS = 12;
    private static final int EVENTS_PER_USER = 5;
    private static final int LARGE = 4 << 20;

    @Test
    void oversizedRecordsAreDeadLetteredAndTheGoodEventsBehindThemAreScored(TestKafka kafka) throws Exception {
        kafka.createTopics();
        IntentConfig config = IntentConfig.of(kafka.appSettings("it-poison", Files.createTempDirectory("it-poison")));
        try (IntentStreamApp app = new IntentStreamApp(config, AppOptions.loopback(0)).start();
             ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl(),
                     Map.of("max.request.size", LARGE), e -> { });
             OutputReader outputs = new OutputReader(kafka, List.of(Topics.SCORES))) {
            Await.until("app ready", Duration.ofSeconds(90), () -> Http.status(app.httpUrl() + "/health/ready") == 200);

            allowLargeSearchRecords(kafka);
            String huge = "q".repeat(1_500_000);
            List<String> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String user = "poison-user-" + u;
                users.add(user);
                List<ShopEvent> session = ShopTraffic.session(user, EVENTS_PER_USER, 500 + u);
                for (int i = 0; i < session.size(); i++) {
                    producer.send(session.get(i));
                    if (u % 4 == 0 && i == 2) {
                        // A poison record in the middle of a good session, on the same partition.
                        producer.send(new ShopEvent(user + "-poison", user, user + "-s1", System.currentTimeMillis(),
                                ShopEvent.Kind.SEARCH, null, "c1", null, huge, List.of()));
                    }
                }
            }
            producer.flush();
            assertThat(producer.failures()).isZero();

            Await.until("every good event scored", Duration.ofSeconds(90), () -> {
                Map<String, Integer> last = lastLengths(outputs);
                return users.stream().allMatch(u -> last.getOrDefault(u, 0) == EVENTS_PER_USER);
            });
            List<ConsumerRecord<byte[], byte[]>> deadLetters = DeadLetterReader.read(kafka.bootstrapServers(), 3, Duration.ofSeconds(30));
            assertThat(deadLetters).hasSize(3).allSatisfy(r -> {
                assertThat(DeadLetterReader.header(r, DeadLetterReasons.HEADER)).isEqualTo(EventValidator.FIELD_TOO_LONG);
                assertThat(DeadLetterReader.header(r, DeadLetterBounds.TRUNCATED_HEADER)).contains("value=1500");
                assertThat(r.value().length).isEqualTo(DeadLetterBounds.DEFAULT.maxValueBytes());
            });
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(Http.status(app.httpUrl() + "/health/ready")).isEqualTo(200);
            assertThat(app.meterRegistry().get(IntentMetrics.STREAM_THREAD_FAILURES).tag("kind", "fault").counter().count())
                    .isZero();
        }
    }

    private static void allowLargeSearchRecords(TestKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.SEARCH.name()), List.of(
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", String.valueOf(LARGE)), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    private static Map<String, Integer> lastLengths(OutputReader outputs) {
        outputs.poll();
        Map<String, Integer> last = new HashMap<>();
        outputs.values(Topics.SCORES).forEach(s -> last.put(s.getUserId(), s.getSequenceLength()));
        return last;
    }

}
