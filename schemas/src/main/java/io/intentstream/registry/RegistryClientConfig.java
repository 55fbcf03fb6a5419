package io.intentstream.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Settings of a registry client, read from a Kafka-style config map. Keys are Confluent's where
 * Confluent has one; the retry settings are this project's ({@code intentstream.registry.*}).
 */
public record RegistryClientConfig(
        List<String> urls,
        String credentialsSource,
        String userInfo,
        int retries,
        Duration backoff,
        Duration maxBackoff,
        Duration timeout,
        int cacheCapacity,
        /** From Confluent's {@code schema.registry.ssl.*} keys ({@link RegistryTls}); null = the JVM default. */
        SSLContext sslContext) {

    public static final String URL = "schema.registry.url";
    /** {@code USER_INFO} (use {@link #USER_INFO}) or {@code URL} (user:password@ in the URL). */
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    /** Extra attempts after the first on 5xx or I/O errors (never on 4xx). Default 3. */
    public static final String RETRIES = "intentstream.registry.retries";
    /** First backoff; doubles per retry up to {@link #MAX_BACKOFF_MS}. Default 100. */
    public static final String BACKOFF_MS = "intentstream.registry.backoff.ms";
    public static final String MAX_BACKOFF_MS = "intentstream.registry.max.backoff.ms";
    /** Connect and request timeout. Default 10000. */
    public static final String TIMEOUT_MS = "intentstream.registry.timeout.ms";
    /** Entries per cache (id→schema, subject+schema→id). Default 1000. */
    public static final String CACHE_CAPACITY = "intentstream.registry.cache.capacity";

    public static RegistryClientConfig from(Map<String, ?> config) {
        Object url = config.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("Missing " + URL);
        }
        List<String> urls = Arrays.stream(url.toString().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new RegistryClientConfig(
                urls,
                string(config, CREDENTIALS_SOURCE, ""),
                string(config, USER_INFO, ""),
                (int) number(config, RETRIES, 3),
                Duration.ofMillis(number(config, BACKOFF_MS, 100)),
                Duration.ofMillis(number(config, MAX_BACKOFF_MS, 5_000)),
                Duration.ofMillis(number(config, TIMEOUT_MS, 10_000)),
                (int) number(config, CACHE_CAPACITY, 1000),
                RegistryTls.clientContext(config).orElse(null));
    }

    private static String string(Map<String, ?> config, String key, String fallback) {
        Object value = config.get(key);
        return value == null ? fallback : value.toString();
    }

    private static long number(Map<String, ?> config, String key, long fallback) {
        Object value = config.get(key);
        return value == null ? fallback : Long.parseLong(value.toString().trim());
    }
}
