package io.intentstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Avro records as plain JSON for HTTP clients: field names as in the contract, decimals as
 * strings (exact money), timestamps as epoch milliseconds, enums as their symbols. Avro's own JSON
 * encoding wraps unions and writes decimals as bytes, which no web client wants.
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {}

    public static String toJson(IndexedRecord record) {
        try {
            return MAPPER.writeValueAsString(toMap(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + record.getSchema().getFullName(), e);
        }
    }

    static Map<String, Object> toMap(IndexedRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            map.put(field.name(), plain(record.get(field.pos())));
        }
        return map;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value instanceof BigDecimal d ? d.toPlainString() : value;
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof IndexedRecord nested) {
            return toMap(nested);
        }
        if (value instanceof Collection<?> list) {
            var out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k.toString(), plain(v)));
            return out;
        }
        if (value instanceof ByteBuffer buffer) {
            return java.util.Base64.getEncoder().encodeToString(buffer.duplicate().array());
        }
        if (value instanceof GenericContainer container) {
            return container.toString();
        }
        return value.toString();
    }
}
