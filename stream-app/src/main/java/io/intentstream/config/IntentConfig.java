package io.intentstream.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Typed configuration of intent-stream. Sources, lowest precedence first: the packaged
 * {@code intent-stream.defaults.properties} (which documents every key and default), an optional
 * properties file, environment variables ({@code INTENTSTREAM_SCORING_INTERVAL_MS} sets
 * {@code scoring.interval.ms}), explicit overrides.
 *
 * <p>Pass-through prefixes need no code for new client settings: {@code kafka.*} goes to every
 * Kafka client (e.g. SASL/TLS), {@code streams.*} to StreamsConfig (wins over {@code kafka.*}),
 * {@code registry.*} to the Avro serde ({@code registry.schema.registry.url}).
 */
public final class IntentConfig {
    public static final String DEFAULTS_RESOURCE = "/intent-stream.defaults.properties";
    public static final String ENV_PREFIX = "INTENTSTREAM_";

    public static final String INPUT_KEYED_BY_USER = "input.keyed.by.user";
    public static final String MAX_FUTURE_SKEW_MS = "ingest.max.future.skew.ms";
    public static final String MAX_AGE_MS = "ingest.max.age.ms";
    public static final String MAX_ID_LENGTH = "ingest.max.id.length";
    public static final String MAX_QUERY_LENGTH = "ingest.max.query.length";
    public static final String MAX_CART_LINES = "ingest.max.cart.lines";
    public static final String MAX_QUANTITY = "ingest.max.quantity";
    public static final String DLQ_MAX_VALUE_BYTES = "dlq.max.value.bytes";
    public static final String MAX_PROCESSING_ERRORS_PER_MINUTE = "ingest.max.processing.errors.per.minute";
    public static final String ROCKSDB_CACHE_BYTES = "state.rocksdb.cache.bytes";
    public static final String ROCKSDB_MEMTABLE_BYTES = "state.rocksdb.memtable.bytes";
    public static final String SEQUENCE_TTL_MS = "sequence.ttl.ms";
    public static final String IDLE_CHECK_INTERVAL_MS = "sequence.idle.check.interval.ms";
    public static final String SCORING_MODE = "scoring.mode";
    public static final String SCORING_INTERVAL_MS = "scoring.interval.ms";
    public static final String SCORING_MAX_BATCH = "scoring.max.batch";
    public static final String SCORING_PAD_MULTIPLE = "scoring.pad.multiple";
    public static final String INFERENCE_PROVIDER = "inference.provider";
    public static final String INFERENCE_INTRA_OP_THREADS = "inference.intra.op.threads";
    public static final String MODEL_DIR = "model.dir";
    public static final String MODEL_WATCH_INTERVAL_MS = "model.watch.interval.ms";
    public static final String MODEL_PARITY_TOLERANCE = "model.parity.tolerance";
    public static final String RECOMMEND_TOP_N = "recommend.top.n";
    public static final String HIGH_INTENT_UPPER = "trigger.high-intent.upper";
    public static final String HIGH_INTENT_LOWER = "trigger.high-intent.lower";
    public static final String HIGH_INTENT_COOLDOWN_MS = "trigger.high-intent.cooldown.ms";
    public static final String ABANDONMENT_IDLE_MS = "trigger.cart-abandonment.idle.ms";
    public static final String ABANDONMENT_MAX_PROBABILITY = "trigger.cart-abandonment.max.probability";
    public static final String HTTP_BIND = "http.bind";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";

    public enum ScoringMode { BATCHED, PER_EVENT }

    public enum Provider { AUTO, CUDA, CPU }

    private final Map<String, String> values;

    private IntentConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        validate();
    }

    /** Defaults + optional file + process environment. */
    public static IntentConfig load(Path fileOrNull) {
        return load(fileOrNull, System.getenv(), Map.of());
    }

    public static IntentConfig load(Path fileOrNull, Map<String, String> env, Map<String, String> overrides) {
        return load(Map.of(), fileOrNull, env, overrides);
    }

    /**
     * Layers, lowest first: packaged defaults, {@code baseline} (a command's own defaults, such as
     * the demo's), the file, the environment, {@code overrides}.
     */
    public static IntentConfig load(Map<String, String> baseline, Path fileOrNull, Map<String, String> env,
                                    Map<String, String> overrides) {
        Map<String, String> v = defaults();
        v.putAll(baseline);
        if (fileOrNull != null) {
            try (Reader r = Files.newBufferedReader(fileOrNull, StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.load(r);
                p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + fileOrNull, e);
            }
        }
        v.putAll(fromEnvironment(env, v));
        v.putAll(overrides);
        return new IntentConfig(v);
    }

    /** Defaults plus the given overrides; no file, no environment (tests, benchmarks). */
    public static IntentConfig of(Map<String, String> overrides) {
        return load(null, Map.of(), overrides);
    }

    static Map<String, String> defaults() {
        Properties p = new Properties();
        try (InputStream in = IntentConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /**
     * Known keys match by their env form ({@code trigger.high-intent.upper} ←
     * {@code INTENTSTREAM_TRIGGER_HIGH_INTENT_UPPER}); others under a pass-through prefix become
     * lower case with '_' → '.' ({@code INTENTSTREAM_KAFKA_SASL_MECHANISM} → {@code kafka.sasl.mechanism}).
     */
    static Map<String, String> fromEnvironment(Map<String, String> env, Map<String, String> known) {
        Map<String, String> byEnvName = new HashMap<>();
        known.keySet().forEach(k -> byEnvName.put(envName(k), k));
        Map<String, String> out = new HashMap<>();
        env.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                String lower = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (lower.startsWith("kafka.") || lower.startsWith("streams.") || lower.startsWith("registry.")) {
                    key = lower;
                }
            }
            if (key != null) {
                out.put(key, value.trim());
            }
        });
        return out;
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void validate() {
        if (highIntentLower() > highIntentUpper()) {
            throw new IllegalArgumentException(HIGH_INTENT_LOWER + " must be <= " + HIGH_INTENT_UPPER);
        }
        if (scoringMaxBatch() < 1 || scoringIntervalMs() < 1 || scoringPadMultiple() < 1) {
            throw new IllegalArgumentException("scoring.* values must be >= 1");
        }
        // Kafka Streams and the watcher reject a zero schedule interval only when a task starts.
        for (String key : new String[] {IDLE_CHECK_INTERVAL_MS, MODEL_WATCH_INTERVAL_MS, SEQUENCE_TTL_MS, RECOMMEND_TOP_N}) {
            if (getLong(key) < 1) {
                throw new IllegalArgumentException(key + " must be >= 1, not " + get(key));
            }
        }
        for (String key : new String[] {HIGH_INTENT_UPPER, HIGH_INTENT_LOWER, ABANDONMENT_MAX_PROBABILITY}) {
            double v = getDouble(key);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(key + " is a probability in [0, 1], not " + get(key));
            }
        }
        if (httpPort() < 0 || httpPort() > 65_535) {
            throw new IllegalArgumentException(HTTP_PORT + " must be 0-65535 (0 = any free port), not " + get(HTTP_PORT));
        }
        scoringMode();
        provider();
    }

    // ---- raw access -----------------------------------------------------------------------
    public Map<String, String> asMap() {
        return values;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing config " + key);
        }
        return v;
    }

    private long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + get(key), e);
        }
    }

    private double getDouble(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + get(key), e);
        }
    }

    /** Entries under {@code prefix} with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    /**
     * StreamsConfig: {@code kafka.*} then {@code streams.*} (streams wins), plus the dead-letter
     * topic and our dead-letter exception handlers unless overridden. Use
     * {@code IntentTopology.streamsProperties(config, metrics)} to also count dead letters.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(withPrefix("kafka."));
        p.putAll(withPrefix("streams."));
        p.putIfAbsent("errors.dead.letter.queue.topic.name", io.intentstream.schemas.Topics.DEAD_LETTER);
        p.putIfAbsent("deserialization.exception.handler", "io.intentstream.ingest.DeadLetterDeserializationHandler");
        p.putIfAbsent("processing.exception.handler", "io.intentstream.ingest.DeadLetterProcessingHandler");
        p.putIfAbsent("production.exception.handler", "io.intentstream.ingest.DeadLetterProductionHandler");
        p.putIfAbsent(io.intentstream.ingest.DeadLetterReasons.MAX_VALUE_BYTES_CONFIG, get(DLQ_MAX_VALUE_BYTES));
        p.putIfAbsent(io.intentstream.ingest.DeadLetterProcessingHandler.MAX_ERRORS_PER_MINUTE_CONFIG,
                get(MAX_PROCESSING_ERRORS_PER_MINUTE));
        p.putIfAbsent("rocksdb.config.setter", io.intentstream.topology.BoundedRocksDbMemory.class.getName());
        p.putIfAbsent(io.intentstream.topology.BoundedRocksDbMemory.CACHE_BYTES_CONFIG, get(ROCKSDB_CACHE_BYTES));
        p.putIfAbsent(io.intentstream.topology.BoundedRocksDbMemory.MEMTABLE_BYTES_CONFIG, get(ROCKSDB_MEMTABLE_BYTES));
        return p;
    }

    /** Serde / schema registry client settings ({@code registry.*} without the prefix). */
    public Map<String, Object> registryConfig() {
        return new HashMap<>(withPrefix("registry."));
    }

    /** Settings for a plain Kafka client next to the app (producer/consumer/admin). */
    public Map<String, Object> kafkaClientConfig() {
        return new HashMap<>(withPrefix("kafka."));
    }

    public String applicationId() {
        return values.getOrDefault("streams.application.id", "intent-stream");
    }

    // ---- typed settings -------------------------------------------------------------------
    public boolean inputKeyedByUser() {
        return Boolean.parseBoolean(get(INPUT_KEYED_BY_USER));
    }

    public long maxFutureSkewMs() {
        return getLong(MAX_FUTURE_SKEW_MS);
    }

    public long maxAgeMs() {
        return getLong(MAX_AGE_MS);
    }

    public int maxIdLength() {
        return (int) getLong(MAX_ID_LENGTH);
    }

    public int maxQueryLength() {
        return (int) getLong(MAX_QUERY_LENGTH);
    }

    public int maxCartLines() {
        return (int) getLong(MAX_CART_LINES);
    }

    public int maxQuantity() {
        return (int) getLong(MAX_QUANTITY);
    }

    public long sequenceTtlMs() {
        return getLong(SEQUENCE_TTL_MS);
    }

    public long idleCheckIntervalMs() {
        return getLong(IDLE_CHECK_INTERVAL_MS);
    }

    public ScoringMode scoringMode() {
        String m = get(SCORING_MODE).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return ScoringMode.valueOf(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SCORING_MODE + " must be batched or per-event, not " + get(SCORING_MODE), e);
        }
    }

    public long scoringIntervalMs() {
        return getLong(SCORING_INTERVAL_MS);
    }

    public int scoringMaxBatch() {
        return (int) getLong(SCORING_MAX_BATCH);
    }

    public int scoringPadMultiple() {
        return (int) getLong(SCORING_PAD_MULTIPLE);
    }

    public Provider provider() {
        try {
            return Provider.valueOf(get(INFERENCE_PROVIDER).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(INFERENCE_PROVIDER + " must be auto, cuda or cpu, not " + get(INFERENCE_PROVIDER), e);
        }
    }

    public int intraOpThreads() {
        return (int) getLong(INFERENCE_INTRA_OP_THREADS);
    }

    public Optional<Path> modelDir() {
        String d = values.getOrDefault(MODEL_DIR, "");
        return d.isBlank() ? Optional.empty() : Optional.of(Path.of(d));
    }

    public long modelWatchIntervalMs() {
        return getLong(MODEL_WATCH_INTERVAL_MS);
    }

    public double modelParityTolerance() {
        return getDouble(MODEL_PARITY_TOLERANCE);
    }

    public int recommendTopN() {
        return (int) getLong(RECOMMEND_TOP_N);
    }

    public double highIntentUpper() {
        return getDouble(HIGH_INTENT_UPPER);
    }

    public double highIntentLower() {
        return getDouble(HIGH_INTENT_LOWER);
    }

    public long highIntentCooldownMs() {
        return getLong(HIGH_INTENT_COOLDOWN_MS);
    }

    public long abandonmentIdleMs() {
        return getLong(ABANDONMENT_IDLE_MS);
    }

    public double abandonmentMaxProbability() {
        return getDouble(ABANDONMENT_MAX_PROBABILITY);
    }

    @Override
    public String toString() {
        // Pass-through values may hold secrets (sasl.jaas.config, passwords): print keys only.
        return "IntentConfig" + values.keySet();
    }

    // ---- HTTP surface ----------------------------------------------------------------------
    public String httpBind() {
        return get(HTTP_BIND);
    }

    public int httpPort() {
        return (int) getLong(HTTP_PORT);
    }

    /** Empty = derive from the bind address (see {@code AppOptions}). */
    public String httpAdvertisedHost() {
        return values.getOrDefault(HTTP_ADVERTISED_HOST, "");
    }
}
