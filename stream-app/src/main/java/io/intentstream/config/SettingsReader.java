package io.intentstream.config;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads typed values out of the layered string settings, once, at start-up. Every failure names
 * the key and the offending value ({@code scoring.interval.ms must be > 0, got -3}), so a bad
 * deployment stops before any record is read.
 */
final class SettingsReader {
    private final Map<String, String> values;

    SettingsReader(Map<String, String> values) {
        this.values = values;
    }

    String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing setting " + key);
        }
        return v.trim();
    }

    String optional(String key) {
        return values.getOrDefault(key, "").trim();
    }

    boolean bool(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got " + string(key));
        }
        return Boolean.parseBoolean(v);
    }

    long longValue(String key) {
        try {
            return Long.parseLong(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + string(key), e);
        }
    }

    long positiveLong(String key) {
        long v = longValue(key);
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, got " + v);
        }
        return v;
    }

    int positiveInt(String key) {
        return toInt(key, positiveLong(key));
    }

    int nonNegativeInt(String key) {
        return toInt(key, nonNegativeLong(key));
    }

    long nonNegativeLong(String key) {
        long v = longValue(key);
        if (v < 0) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + v);
        }
        return v;
    }

    int intInRange(String key, int min, int max) {
        long v = longValue(key);
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be " + min + "-" + max + ", got " + v);
        }
        return (int) v;
    }

    double doubleValue(String key) {
        try {
            return Double.parseDouble(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got " + string(key), e);
        }
    }

    double probability(String key) {
        double v = doubleValue(key);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(key + " is a probability in [0, 1], got " + string(key));
        }
        return v;
    }

    /** An enum constant by its lower-case, dashed name ({@code per-event} → {@code PER_EVENT}). */
    <E extends Enum<E>> E choice(String key, Class<E> type, Function<String, String> allowed) {
        String v = string(key).toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be " + allowed.apply(key) + ", got " + string(key), e);
        }
    }

    private static int toInt(String key, long v) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be <= " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }
}
