package io.intentstream.it.chaos;

import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.InvalidEventException;
import io.intentstream.registry.serde.AvroDeserializationException;
import io.intentstream.registry.serde.KafkaAvroDeserializer;
import io.intentstream.registry.server.SchemaRegistryServer;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos run counts dead letters per reason against what it sent per kind, so each kind must
 * fail for exactly the reason it claims: checked here offline, through the app's own decoder and
 * validator, without a broker.
 */
class BadRecordsTest {
    @Test
    void everyKindFailsForTheReasonTheChaosRunExpects() {
        SchemaRegistryServer registry = SchemaRegistryServer.inMemory().start();
        BadRecords bad = new BadRecords(registry.url());
        KafkaAvroDeserializer decoder = new KafkaAvroDeserializer();
        decoder.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
        EventValidator validator = new EventValidator(IntentConfig.of(Map.of()).ingest());
        try {
            EnumSet<BadRecords.Kind> kinds = EnumSet.allOf(BadRecords.Kind.class);
            assertThat(kinds).hasSizeGreaterThanOrEqualTo(10);
            for (BadRecords.Kind kind : kinds) {
                BadRecords.Bad record = bad.build(kind, 7);
                assertThat(record.key()).as("key of %s", kind).satisfiesAnyOf(k -> assertThat(k).isNull(),
                        k -> assertThat(k).startsWith("bad-"));
                assertThat(reasonOf(decoder, validator, record)).as("reason of %s", kind).isEqualTo(kind.reason);
            }
            assertThat(bad.build(BadRecords.Kind.MEGABYTE_QUERY, 0).value().length).isBetween(1_000_000, 1_040_000);
        } finally {
            bad.close();
            registry.close();
        }
    }

    private static String reasonOf(KafkaAvroDeserializer decoder, EventValidator validator, BadRecords.Bad record) {
        Object value;
        try {
            value = decoder.deserialize(record.kind().topic, record.value());
        } catch (AvroDeserializationException e) {
            return e.reason().name();
        }
        try {
            validator.validate(record.key(), value, System.currentTimeMillis());
            return "VALID";
        } catch (InvalidEventException e) {
            return e.reason();
        }
    }
}
