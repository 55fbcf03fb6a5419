package io.intentstream.http;

/**
 * The answer to a per-user query: the JSON document, "no such user", or "ask again later" (the
 * store is migrating during a rebalance or restoring).
 */
public record Lookup(Outcome outcome, String json, int retryAfterSeconds, String message) {
    public enum Outcome { FOUND, NOT_FOUND, UNAVAILABLE }

    public static Lookup found(String json) {
        return new Lookup(Outcome.FOUND, json, 0, null);
    }

    public static Lookup notFound() {
        return new Lookup(Outcome.NOT_FOUND, null, 0, "unknown user");
    }

    public static Lookup unavailable(int retryAfterSeconds, String message) {
        return new Lookup(Outcome.UNAVAILABLE, null, Math.max(1, retryAfterSeconds), message);
    }
}
