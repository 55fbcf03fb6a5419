package io.intentstream.config;

/**
 * What the ingest stage accepts: record keys, event-time window and size bounds ({@code ingest.*}),
 * how much of a rejected record's value a dead letter keeps ({@code dlq.max.value.bytes}) and how
 * many records our own bugs may dead-letter per minute before the thread stops.
 */
public record IngestSettings(boolean inputKeyedByUser, long maxFutureSkewMs, long maxAgeMs, int maxIdLength,
                             int maxQueryLength, int maxCartLines, int maxQuantity, int dlqMaxValueBytes,
                             int maxProcessingErrorsPerMinute) {
    public static final String INPUT_KEYED_BY_USER = "input.keyed.by.user";
    public static final String MAX_FUTURE_SKEW_MS = "ingest.max.future.skew.ms";
    public static final String MAX_AGE_MS = "ingest.max.age.ms";
    public static final String MAX_ID_LENGTH = "ingest.max.id.length";
    public static final String MAX_QUERY_LENGTH = "ingest.max.query.length";
    public static final String MAX_CART_LINES = "ingest.max.cart.lines";
    public static final String MAX_QUANTITY = "ingest.max.quantity";
    public static final String DLQ_MAX_VALUE_BYTES = "dlq.max.value.bytes";
    public static final String MAX_PROCESSING_ERRORS_PER_MINUTE = "ingest.max.processing.errors.per.minute";

    static IngestSettings read(SettingsReader r) {
        return new IngestSettings(r.bool(INPUT_KEYED_BY_USER), r.positiveLong(MAX_FUTURE_SKEW_MS),
                r.positiveLong(MAX_AGE_MS), r.positiveInt(MAX_ID_LENGTH), r.positiveInt(MAX_QUERY_LENGTH),
                r.positiveInt(MAX_CART_LINES), r.positiveInt(MAX_QUANTITY), r.positiveInt(DLQ_MAX_VALUE_BYTES),
                r.nonNegativeInt(MAX_PROCESSING_ERRORS_PER_MINUTE));
    }
}
