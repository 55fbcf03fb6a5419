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
import java.util.Properties;
import java.util.TreeMap;

/**
 * intent-stream's settings, read once at start-up. Sources, lowest precedence first: the packaged
 * {@code intent-stream.defaults.properties} (which documents every key and default), a command's
 * own baseline (the demo's), an optional properties file, environment variables
 * ({@code INTENTSTREAM_SCORING_INTERVAL_MS} sets {@code scoring.interval.ms}), explicit overrides.
 * The layered strings are parsed and validated here into one typed record per concern; nothing
 * downstream parses a setting again.
 *
 * <p>Pass-through prefixes need no code for new client settings: {@code kafka.*} goes to every
 * Kafka client (e.g. SASL/TLS), {@code streams.*} to StreamsConfig (wins over {@code kafka.*}),
 * {@code registry.*} to the Avro serde ({@code registry.schema.registry.url}). The one place that
 * turns them into StreamsConfig is {@code app.StreamsProperties}.
 */
public final class IntentConfig {
    public static final String DEFAULTS_RESOURCE = "/intent-stream.defaults.properties";
    public static final String ENV_PREFIX = "INTENTSTREAM_";

    private final Map<String, String> values;
    private final IngestSettings ingest;
    private final SequenceSettings sequence;
    private final StateSettings state;
    private final ScoringSettings scoring;
    private final ModelSettings model;
    private final OutputSettings outputs;
    private final HttpSettings http;

    private IntentConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        SettingsReader r = new SettingsReader(this.values);
        ingest = IngestSettings.read(r);
        sequence = SequenceSettings.read(r);
        state = StateSettings.read(r);
        scoring = ScoringSettings.read(r);
        model = ModelSettings.read(r);
        outputs = OutputSettings.read(r);
        http = HttpSettings.read(r);
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

    public IngestSettings ingest() {
        return ingest;
    }

    public SequenceSettings sequence() {
        return sequence;
    }

    public StateSettings state() {
        return state;
    }

    public ScoringSettings scoring() {
        return scoring;
    }

    public ModelSettings model() {
        return model;
    }

    public OutputSettings outputs() {
        return outputs;
    }

    public HttpSettings http() {
        return http;
    }

    // ---- pass-through maps ----------------------------------------------------------------
    public Map<String, String> asMap() {
        return values;
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

    @Override
    public String toString() {
        // Pass-through values may hold secrets (sasl.jaas.config, passwords): print keys only.
        return "IntentConfig" + values.keySet();
    }
}
