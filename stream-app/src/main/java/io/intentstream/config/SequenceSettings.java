package io.intentstream.config;

/** How long a shopper's state lives idle and how often idle shoppers are looked for ({@code sequence.*}). */
public record SequenceSettings(long ttlMs, long idleCheckIntervalMs) {
    public static final String TTL_MS = "sequence.ttl.ms";
    public static final String IDLE_CHECK_INTERVAL_MS = "sequence.idle.check.interval.ms";

    static SequenceSettings read(SettingsReader r) {
        // Kafka Streams rejects a zero punctuation interval only when a task starts: refuse it here.
        return new SequenceSettings(r.positiveLong(TTL_MS), r.positiveLong(IDLE_CHECK_INTERVAL_MS));
    }
}
