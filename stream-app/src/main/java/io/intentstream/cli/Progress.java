package io.intentstream.cli;

import java.util.Locale;

/** A progress bar on stderr: redrawn in place on a terminal, a line every 5 s otherwise. */
final class Progress {
    private static final int WIDTH = 30;
    private final long totalBytes;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDraw = System.nanoTime();

    Progress(long totalBytes, boolean terminal) {
        this.totalBytes = Math.max(1, totalBytes);
        this.terminal = terminal;
    }

    void update(long bytes, ReplayReport report) {
        long now = System.nanoTime();
        long every = terminal ? 200_000_000L : 5_000_000_000L;
        if (now - lastDraw < every) {
            return;
        }
        lastDraw = now;
        draw(bytes, report, false);
    }

    void done(long bytes, ReplayReport report) {
        draw(bytes, report, true);
    }

    private void draw(long bytes, ReplayReport report, boolean last) {
        double fraction = Math.min(1.0, bytes / (double) totalBytes);
        if (last) {
            fraction = 1.0;
        }
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        String line = String.format(Locale.ROOT, "[%s%s] %3.0f%%  %,d events  %,.0f ev/s  %,d malformed",
                "#".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100, report.events,
                report.events / seconds, report.bad());
        if (terminal) {
            System.err.print("\r" + line + (last ? "\n" : ""));
        } else {
            System.err.println(line);
        }
        System.err.flush();
    }
}
