package io.intentstream.it;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition that carries only undecodable records, across a clean restart: each record is
 * dead-lettered once and the partition's offset is committed, so its lag falls to zero. Written to
 * test a suspected cause of the chaos suite's rare extra dead-letter copies (a task commits
 * offsets only for partitions on which it processed a record, and these records are skipped by
 * the deserialization handler); it passed on the code it was written against: Kafka Streams
 * processes the last skipped record of a drained queue as a {@code CorruptedRecord}, which moves
 * the partition's committed offset. It stays as the guard of that behaviour.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(180)
class DeadLetterRestartTest {
    private static final int BAD = 5;

    @Test
    void undecodableRecordsAreDeadLetteredOnceAcrossARestartAndTheirOffsetsCommitted(TestKafka kafka) throws Exception {
        kafka.createTopics();
        String appId = "it-dlq-restart";
        Path stateDir = Files.createTempDirectory("it-dlq-restart");
        IntentConfig config = IntentConfig.of(kafka.appSettings(appId, stateDir));
        TopicPartition garbage;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            int partition = 0;
            for (int i = 0; i < BAD; i++) {
                // Not registry framing (no leading zero byte): UNKNOWN_MAGIC_BYTE. Nothing else on this partition.
                raw.send(new ProducerRecord<>(Topics.BROWSE.name(), partition, "garbage-" + i,
                        ("not avro " + i).getBytes(StandardCharsets.UTF_8))).get();
            }
            garbage = new TopicPartition(Topics.BROWSE.name(), partition);
        }

        try (IntentStreamApp app = new IntentStreamApp(config, AppOptions.loopback(0)).start()) {
            Await.until("app ready", Duration.ofSeconds(90), () -> Http.status(app.httpUrl() + "/health/ready") == 200);
            DeadLetterReader.read(kafka.bootstrapServers(), BAD, Duration.ofSeconds(60));
        } // a clean shutdown: its last commit is the one that had to include the partition

        try (IntentStreamApp app = new IntentStreamApp(config, AppOptions.loopback(0)).start();
             ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl(), Map.of(), e -> { });
             OutputReader outputs = new OutputReader(kafka, List.of(Topics.SCORES))) {
            Await.until("app ready again", Duration.ofSeconds(90), () -> Http.status(app.httpUrl() + "/health/ready") == 200);
            // A good event scored after the restart: the app has read its input, garbage partition included.
            List<ShopEvent> session = ShopTraffic.session("restart-user", 1, 7);
            producer.send(session.get(0));
            producer.flush();
            Await.until("the good event scored", Duration.ofSeconds(60), () -> {
                outputs.poll();
                return !outputs.values(Topics.SCORES).isEmpty();
            });
            Thread.sleep(2_000); // a second dead letter of the same record would be committed by now

            List<ConsumerRecord<byte[], byte[]>> letters = DeadLetterReader.read(kafka.bootstrapServers(), BAD, Duration.ofSeconds(30));
            assertThat(letters).as("dead letters of %d bad records after a restart", BAD).hasSize(BAD);
            assertThat(letters).allSatisfy(r ->
                    assertThat(DeadLetterReader.header(r, DeadLetterReasons.HEADER)).isEqualTo("UNKNOWN_MAGIC_BYTE"));
            // The description failing assertions print lists every record written, each with its reason.
            String described = DeadLetterReader.describeAll(kafka.bootstrapServers());
            assertThat(described.split("intentstream.dlq.reason=UNKNOWN_MAGIC_BYTE", -1)).as(described).hasSizeGreaterThan(BAD);
        }
        assertThat(committed(kafka, appId, garbage)).as("the app's committed offset on the garbage-only partition")
                .isEqualTo(endOffset(kafka, garbage));
    }

    private static long committed(TestKafka kafka, String groupId, TopicPartition tp) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? -1 : o.offset();
        }
    }

    private static long endOffset(TestKafka kafka, TopicPartition tp) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        }
    }
}
