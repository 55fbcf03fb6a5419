package io.intentstream.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/** Accepts ISO-8601 ({@code PT2M}) and the short forms people type ({@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(Long.parseLong(v));
            };
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a duration: " + value + " (use e.g. 90s, 5m, PT2M)");
        }
    }
}
