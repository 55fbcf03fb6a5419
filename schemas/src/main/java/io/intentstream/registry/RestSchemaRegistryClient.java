package io.intentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Confluent Schema Registry client over {@link java.net.http.HttpClient} (transport: {@link RegistryTransport}).
 *
 * <ul>
 *   <li>Several URLs: an I/O error or 5xx moves on to the next one at once; the last URL that
 *       answered is tried first next time.</li>
 *   <li>When every URL failed that way, the round is retried after an exponential backoff
 *       ({@code intentstream.registry.retries} more rounds); 4xx never (it will not heal).</li>
 *   <li>id→schema and subject+schema→id are cached (bounded LRU), so the serde's hot path makes
 *       no HTTP call once warm. Latest/version reads are not cached: they change.</li>
 *   <li>TLS trusts Confluent's {@code schema.registry.ssl.truststore.*} (and presents
 *       {@code schema.registry.ssl.keystore.*}) when set ({@link RegistryTls}), else the JVM's
 *       default SSLContext.</li>
 * </ul>
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record SubjectSchema(String subject, Schema schema) {}

    private final RegistryTransport transport;
    private final LruCache<Integer, Schema> schemasById;
    private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;

    public RestSchemaRegistryClient(Map<String, ?> config) {
        this(RegistryClientConfig.from(config));
    }

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.transport = new RegistryTransport(config);
        this.schemasById = new LruCache<>(config.cacheCapacity());
        this.idsBySubjectSchema = new LruCache<>(config.cacheCapacity());
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode response = transport.call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = response.path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = transport.call("POST", "/subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public Schema getSchemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            try {
                return SchemaStore.parse(transport.call("GET", "/schemas/ids/" + id, null).path("schema").asText());
            } catch (SchemaNotFoundException e) {
                throw new UnknownSchemaIdException(id);
            }
        });
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return toRegistered(transport.call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return toRegistered(transport.call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return transport.call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                .path("is_compatible").asBoolean();
    }

    @Override
    public List<String> subjects() {
        List<String> result = new ArrayList<>();
        transport.call("GET", "/subjects", null).forEach(s -> result.add(s.asText()));
        return result;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> result = new ArrayList<>();
        transport.call("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> result.add(v.asInt()));
        return result;
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        transport.call("PUT", configPath(subjectOrNullForGlobal), body);
    }

    @Override
    public String getCompatibility(String subjectOrNullForGlobal) {
        return transport.call("GET", configPath(subjectOrNullForGlobal), null).path("compatibilityLevel").asText();
    }

    private static String configPath(String subject) {
        return subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
    }

    private RegisteredSchema toRegistered(JsonNode node) {
        Schema schema = SchemaStore.parse(node.path("schema").asText());
        int id = node.path("id").asInt();
        schemasById.put(id, schema);
        return new RegisteredSchema(node.path("subject").asText(), id, node.path("version").asInt(), schema);
    }

    private static ObjectNode schemaBody(Schema schema) {
        // schemaType is omitted: the REST API defaults to AVRO, like Confluent's Java client sends it.
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
