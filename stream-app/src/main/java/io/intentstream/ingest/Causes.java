package io.intentstream.ingest;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Walks an exception's cause chain. The error handlers classify a failure by what it wraps (Kafka
 * Streams hands them a {@code StreamsException} around a serde's or a store's exception), so the
 * walk lives in one place: outermost first, and safe on chains that loop back on themselves.
 */
public final class Causes {
    private Causes() {}

    /** The outermost throwable in {@code exception}'s cause chain (itself included) that matches. */
    public static Optional<Throwable> first(Throwable exception, Predicate<Throwable> matches) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (matches.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The outermost throwable of {@code type} in the cause chain. */
    public static <T extends Throwable> Optional<T> find(Throwable exception, Class<T> type) {
        return first(exception, type::isInstance).map(type::cast);
    }
}
