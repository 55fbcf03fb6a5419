package io.intentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro values as the plain JSON that Confluent's JS serde (avsc) uses: records are objects,
 * {@code ["null", X]} unions are unwrapped, enums are strings, longs are numbers, and bytes (so
 * decimals) are {@code {"$bytes": "<hex of the two's-complement unscaled value>"}}.
 */
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {}

    /** The JS view of a generated record: its raw (pre-logical-type) Avro value, as JSON. */
    static JsonNode of(SpecificRecord record, Schema contractSchema) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass()))
                    .write(record, encoder);
            encoder.flush();
            Object raw = new GenericDatumReader<>(contractSchema, contractSchema, GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            return toJson(raw, contractSchema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode toJson(Object value, Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                ObjectNode node = NODES.objectNode();
                IndexedRecord record = (IndexedRecord) value;
                schema.getFields().forEach(f -> node.set(f.name(), toJson(record.get(f.pos()), f.schema())));
                yield node;
            }
            case UNION -> toJson(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                ((Iterable<?>) value).forEach(v -> array.add(toJson(v, schema.getElementType())));
                yield array;
            }
            case MAP -> {
                ObjectNode node = NODES.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> node.set(k.toString(), toJson(v, schema.getValueType())));
                yield node;
            }
            case STRING, ENUM -> NODES.textNode(value.toString());
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield NODES.objectNode().put("$bytes", HexFormat.of().formatHex(bytes));
            }
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case NULL -> NODES.nullNode();
            case FIXED -> NODES.objectNode().put("$bytes", HexFormat.of().formatHex(((GenericData.Fixed) value).bytes()));
        };
    }
}
