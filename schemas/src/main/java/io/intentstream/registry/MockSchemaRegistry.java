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

    @Override
    public int register(String subject, Schema schema) {
        return store.register(subject, schema).id();
    }

    @Override
    public int getId(String subject, Schema schema) {
        return store.lookup(subject, schema).id();
    }

    @Override
    public Schema getSchemaById(int id) {
        return store.schemaById(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return store.latest(subject);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return store.version(subject, version);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return store.isCompatible(subject, schema);
    }

    @Override
    public List<String> subjects() {
        return store.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return store.versions(subject);
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, String level) {
        store.setLevel(subjectOrNullForGlobal, CompatibilityLevel.parse(level));
    }

    @Override
    public String getCompatibility(String subjectOrNullForGlobal) {
        return store.levelOf(subjectOrNullForGlobal).name();
    }
}
