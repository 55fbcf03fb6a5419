package io.intentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry client over {@link HttpClient}.
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
    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record SubjectSchema(String subject, Schema schema) {}

    private final RegistryClientConfig config;
    private final List<URI> baseUris;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final LruCache<Integer, Schema> schemasById;
    private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
    private volatile int preferredUrl;

    public RestSchemaRegistryClient(Map<String, ?> config) {
        this(RegistryClientConfig.from(config));
    }

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        List<URI> uris = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = decode(uri.getRawUserInfo());
                // Credentials go in the Authorization header, never in the request line.
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            uris.add(uri);
        }
        this.baseUris = List.copyOf(uris);
        this.authorization = credentials(config, urlUserInfo)
                .map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(config.timeout());
        if (config.sslContext() != null) {
            http.sslContext(config.sslContext());
        }
        this.http = http.build();
        this.schemasById = new LruCache<>(config.cacheCapacity());
        this.idsBySubjectSchema = new LruCache<>(config.cacheCapacity());
    }

    private static Optional<String> credentials(RegistryClientConfig config, String urlUserInfo) {
        String source = config.credentialsSource().isBlank() ? "URL" : config.credentialsSource().trim().toUpperCase();
        return switch (source) {
            case "USER_INFO" -> config.userInfo().isBlank() ? Optional.empty() : Optional.of(config.userInfo());
            case "URL" -> Optional.ofNullable(urlUserInfo);
            default -> throw new IllegalArgumentException("Unsupported " + RegistryClientConfig.CREDENTIALS_SOURCE
                    + ": " + config.credentialsSource() + " (use USER_INFO or URL)");
        };
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode response = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = response.path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = call("POST", "/subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public Schema getSchemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            try {
                return SchemaStore.parse(call("GET", "/schemas/ids/" + id, null).path("schema").asText());
            } catch (SchemaNotFoundException e) {
                throw new UnknownSchemaIdException(id);
            }
        });
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return toRegistered(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return toRegistered(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                .path("is_compatible").asBoolean();
    }

    @Override
    public List<String> subjects() {
        List<String> result = new ArrayList<>();
        call("GET", "/subjects", null).forEach(s -> result.add(s.asText()));
        return result;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> result = new ArrayList<>();
        call("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> result.add(v.asInt()));
        return result;
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", configPath(subjectOrNullForGlobal), body);
    }

    @Override
    public String getCompatibility(String subjectOrNullForGlobal) {
        return call("GET", configPath(subjectOrNullForGlobal), null).path("compatibilityLevel").asText();
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

    /** One REST call with failover across URLs and backoff between rounds; 4xx is thrown at once. */
    private JsonNode call(String method, String path, JsonNode body) {
        RuntimeException lastError = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                sleep(backoff(attempt));
            }
            for (int i = 0; i < baseUris.size(); i++) {
                int index = (preferredUrl + i) % baseUris.size();
                URI uri = URI.create(baseUris.get(index) + path);
                HttpResponse<String> response;
                try {
                    response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    log.warn("Schema registry {} {} failed: {}", method, uri, e.toString());
                    lastError = new RegistryUnavailableException(-1, -1, "I/O error calling " + uri + ": " + e, e);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException(-1, -1, "Interrupted calling " + uri, e);
                }
                preferredUrl = index;
                int status = response.statusCode();
                if (status < 300) {
                    return parse(response.body());
                }
                RegistryException error = errorOf(status, response.body());
                if (status < 500) {
                    throw error;
                }
                log.warn("Schema registry {} {} answered {}", method, uri, status);
                lastError = error;
            }
        }
        String reason = lastError == null ? "no URL" : lastError.getMessage();
        if (lastError instanceof RegistryException r) {
            throw new RegistryUnavailableException(r.httpStatus(), r.errorCode(),
                    "Schema registry unavailable after " + (config.retries() + 1) + " attempts: " + r.detail(), lastError);
        }
        throw new RegistryUnavailableException(-1, -1, "Schema registry unavailable: " + reason, lastError);
    }

    private HttpRequest request(String method, URI uri, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(a -> builder.header("Authorization", a));
        return builder.build();
    }

    private Duration backoff(int attempt) {
        long millis = config.backoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(-1, -1, "Interrupted while backing off", e);
        }
    }

    private static RegistryException errorOf(int status, String body) {
        int code = status;
        String message = body;
        try {
            JsonNode node = JSON.readTree(body);
            code = node.path("error_code").asInt(status);
            message = node.path("message").asText(body);
        } catch (IOException | RuntimeException e) {
            // Not a Confluent error body (a proxy's HTML page, say): keep status and raw text.
        }
        return RegistryException.of(status, code, message);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(200, -1, "Unparseable registry response: " + body);
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
