package io.intentstream.ingest;

/**
 * A decoded event that breaks the ingest rules. Thrown inside the topology so Kafka Streams' own
 * processing-exception path dead-letters the original bytes; {@link #reason()} becomes the
 * {@code intentstream.dlq.reason} header and the metric tag.
 */
public final class InvalidEventException extends RuntimeException {
    private final String reason;

    public InvalidEventException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
