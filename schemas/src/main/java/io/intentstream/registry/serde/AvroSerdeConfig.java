package io.intentstream.registry.serde;

import io.intentstream.registry.RegistryClientConfig;
import java.util.Map;

/**
 * The serde's settings, under Confluent's keys so existing Confluent configs carry over. Registry
 * connection keys ({@code schema.registry.url}, {@code basic.auth.*}, retries) are read by
 * {@link RegistryClientConfig} from the same map.
 */
public record AvroSerdeConfig(
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        long latestCacheTtlSeconds,
        boolean specificAvroReader,
        boolean useLogicalTypeConverters,
        SubjectNameStrategy keySubjectNameStrategy,
        SubjectNameStrategy valueSubjectNameStrategy) {

    public static final String SCHEMA_REGISTRY_URL = RegistryClientConfig.URL;
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = RegistryClientConfig.CREDENTIALS_SOURCE;
    public static final String BASIC_AUTH_USER_INFO = RegistryClientConfig.USER_INFO;
    /** Register the record's schema on first write (default true); false = it must already exist. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Write with the subject's latest schema id (and, for generic readers, read into it). Default false. */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** How long the serde reuses a fetched latest version; negative = forever (Confluent's default). */
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    /** Deserialize into generated classes found by the writer schema's name. Default false. */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** Generic records get BigDecimal/Instant for logical types instead of ByteBuffer/Long. Default false. */
    public static final String USE_LOGICAL_TYPE_CONVERTERS = "avro.use.logical.type.converters";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    public static AvroSerdeConfig from(Map<String, ?> config) {
        return new AvroSerdeConfig(
                bool(config, AUTO_REGISTER_SCHEMAS, true),
                bool(config, USE_LATEST_VERSION, false),
                config.get(LATEST_CACHE_TTL_SEC) == null ? -1 : Long.parseLong(config.get(LATEST_CACHE_TTL_SEC).toString().trim()),
                bool(config, SPECIFIC_AVRO_READER, false),
                bool(config, USE_LOGICAL_TYPE_CONVERTERS, false),
                SubjectNameStrategy.from(config.get(KEY_SUBJECT_NAME_STRATEGY)),
                SubjectNameStrategy.from(config.get(VALUE_SUBJECT_NAME_STRATEGY)));
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }

    private static boolean bool(Map<String, ?> config, String key, boolean fallback) {
        Object value = config.get(key);
        return value == null ? fallback : Boolean.parseBoolean(value.toString().trim());
    }
}
