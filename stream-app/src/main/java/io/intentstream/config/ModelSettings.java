package io.intentstream.config;

import java.nio.file.Path;
import java.util.Optional;

/** Which model is served, on what, and how new versions are accepted ({@code inference.*}, {@code model.*}). */
public record ModelSettings(Provider provider, int intraOpThreads, Optional<Path> dir, long watchIntervalMs,
                            double parityTolerance) {
    public static final String PROVIDER = "inference.provider";
    public static final String INTRA_OP_THREADS = "inference.intra.op.threads";
    public static final String DIR = "model.dir";
    public static final String WATCH_INTERVAL_MS = "model.watch.interval.ms";
    public static final String PARITY_TOLERANCE = "model.parity.tolerance";

    public enum Provider { AUTO, CUDA, CPU }

    static ModelSettings read(SettingsReader r) {
        String dir = r.optional(DIR);
        double tolerance = r.doubleValue(PARITY_TOLERANCE);
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException(PARITY_TOLERANCE + " must be >= 0, got " + r.string(PARITY_TOLERANCE));
        }
        return new ModelSettings(r.choice(PROVIDER, Provider.class, k -> "auto, cuda or cpu"),
                r.nonNegativeInt(INTRA_OP_THREADS), dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
                r.positiveLong(WATCH_INTERVAL_MS), tolerance);
    }
}
