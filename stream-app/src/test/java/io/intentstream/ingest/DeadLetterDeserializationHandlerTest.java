package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.serde.AvroDeserializationException;
import io.intentstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

    @Test
    void undecodableRecordBecomesOneDeadLetterWithOriginalBytesStreamsHeadersAndOurReason() {
        IntentMetrics metrics = IntentMetrics.noop();
        DeadLetterDeserializationHandler handler = handler(metrics);

        byte[] key = "u1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {7, 1, 2, 3};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.BROWSE.name(), 2, 41L, key, value);
        DefaultErrorHandlerContext context = new DefaultErrorHandlerContext(null, Topics.BROWSE.name(), 2, 41L,
                new RecordHeaders(), "browse-source", new TaskId(0, 2), 0L, key, value);
        Exception failure = failingDecode(value);

        Response response = handler.handleError(context, record, failure);

        assertThat(response.result()).isEqualTo(org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertThat(dlq.topic()).isEqualTo(Topics.DEAD_LETTER.name());
        assertThat(dlq.key()).isEqualTo(key);
        assertThat(dlq.value()).isEqualTo(value);
        assertThat(header(dlq, "__streams.errors.topic")).isEqualTo(Topics.BROWSE.name());
        assertThat(header(dlq, "__streams.errors.exception")).isNotBlank();
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo("UNKNOWN_MAGIC_BYTE");
        assertThat(java.time.Instant.parse(header(dlq, DeadLetterReasons.AT_HEADER)))
                .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        assertThat(header(dlq, DeadLetterReasons.THREAD_HEADER)).isEqualTo(Thread.currentThread().getName());
        assertThat(metrics.registry().get(IntentMetrics.DLQ_RECORDS).tag("reason", "UNKNOWN_MAGIC_BYTE")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aRegistryOutageIsNotTheRecordsFaultSoNothingIsDeadLettered() {
        IntentMetrics metrics = IntentMetrics.noop();
        DeadLetterDeserializationHandler handler = handler(metrics);
        byte[] value = {0, 0, 0, 0, 9, 2};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.BROWSE.name(), 0, 3L, null, value);
        DefaultErrorHandlerContext context = new DefaultErrorHandlerContext(null, Topics.BROWSE.name(), 0, 3L,
                new RecordHeaders(), "browse-source", new TaskId(0, 0), 0L, null, value);
        Exception outage = unreachableRegistryDecode(value);

        Response response = handler.handleError(context, record, outage);

        assertThat(response.result()).isEqualTo(org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(metrics.registry().get(IntentMetrics.REGISTRY_UNAVAILABLE).counter().count()).isEqualTo(1);
        assertThat(metrics.registry().find(IntentMetrics.DLQ_RECORDS).counters()).isEmpty();
    }

    /** What our serde really throws when the registry does not answer (a closed port). */
    private static Exception unreachableRegistryDecode(byte[] value) {
        try (var deserializer = new io.intentstream.registry.serde.KafkaAvroDeserializer();
             var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int closedPort = socket.getLocalPort();
            socket.close();
            deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort,
                    "intentstream.registry.retries", "0"), false);
            deserializer.deserialize(Topics.BROWSE.name(), value);
        } catch (AvroDeserializationException e) {
            assertThat(e.reason()).isEqualTo(AvroDeserializationException.Reason.REGISTRY_UNAVAILABLE);
            return e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("decoding succeeded without a registry");
    }

    @Test
    void anExceptionWithoutADecodeReasonIsUndecodable() {
        assertThat(DeadLetterDeserializationHandler.reasonOf(new IllegalStateException("boom")))
                .isEqualTo(DeadLetterReasons.UNDECODABLE);
    }

    private static DeadLetterDeserializationHandler handler(IntentMetrics metrics) {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
        config.put(DeadLetterReasons.METRICS_CONFIG, metrics);
        handler.configure(config);
        return handler;
    }

    /** The exception our serde really throws for these bytes (not a hand-built one). */
    private static Exception failingDecode(byte[] value) {
        try (var deserializer = new io.intentstream.registry.serde.KafkaAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://dlq-handler-test"), false);
            deserializer.deserialize(Topics.BROWSE.name(), value);
        } catch (AvroDeserializationException e) {
            return e;
        }
        throw new AssertionError("the serde accepted bytes with magic byte 7");
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new StringDeserializer().deserialize(null, h.value());
    }
}
