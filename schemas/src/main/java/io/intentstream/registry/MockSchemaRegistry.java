package io.intentstream.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * In-memory registry for {@code mock://<scope>} URLs: every client configured with the same scope
 * in this JVM sees the same registry, so a test's serializer and deserializer (or a topology
 * test's serdes) share schemas without a server. Same rules as the real server ({@link SchemaStore}).
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {
    public static final String URL_PREFIX = "mock://";
    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final SchemaStore store = new SchemaStore();
    private volatile boolean down;

    private MockSchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The registry of a scope, created on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, MockSchemaRegistry::new);
    }

    /** Forgets a scope's schemas (tests call this in @AfterEach); the next use starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** The scope of a {@code mock://scope} URL. */
    public static String scopeOf(String url) {
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("Not a mock registry URL: " + url);
        }
        return url.substring(URL_PREFIX.length());
    }

    public String scope() {
        return scope;
    }

    /** The shared store, e.g. to serve this scope over HTTP. */
    public SchemaStore store() {
        return store;
    }

    /**
     * Simulates an outage: while {@code down}, every call throws {@link RegistryUnavailableException}
     * as the HTTP client does after its retries, so a test can show what a client does without the registry.
     */
    public void setDown(boolean down) {
        this.down = down;
    }

    private SchemaStore available() {
        if (down) {
            throw new RegistryUnavailableException(503, 50300, "mock registry '" + scope + "' is down", null);
        }
        return store;
    }

    @Override
    public int register(String subject, Schema schema) {
        return available().register(subject, schema).id();
    }

    @Override
    public int getId(String subject, Schema schema) {
        return available().lookup(subject, schema).id();
    }

    @Override
    public Schema getSchemaById(int id) {
        return available().schemaById(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return available().latest(subject);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return available().version(subject, version);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return available().isCompatible(subject, schema);
    }

    @Override
    public List<String> subjects() {
        return available().subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return available().versions(subject);
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, String level) {
        available().setLevel(subjectOrNullForGlobal, CompatibilityLevel.parse(level));
    }

    @Override
    public String getCompatibility(String subjectOrNullForGlobal) {
        return available().levelOf(subjectOrNullForGlobal).name();
    }
}
