package io.intentstream.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's figures as Markdown: printed to the test output and written to
 * {@code it-tests/target/chaos-summary.md}, from which RELIABILITY.md quotes.
 */
final class ChaosReport {
    /** One injected fault and what it cost. */
    record Fault(String name, long atSeconds, long recoveryMs, String detail) {}

    private final List<Fault> faults = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    synchronized void fault(String name, long atSeconds, long recoveryMs, String detail) {
        faults.add(new Fault(name, atSeconds, recoveryMs, detail));
        System.out.printf(Locale.ROOT, "chaos: %-22s at %4d s, recovered in %6d ms  %s%n", name, atSeconds, recoveryMs, detail);
    }

    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Recovery times of the faults whose name starts with {@code prefix}, sorted. */
    synchronized List<Long> recoveries(String prefix) {
        return faults.stream().filter(f -> f.name().startsWith(prefix)).map(Fault::recoveryMs).sorted().toList();
    }

    synchronized void line(String text) {
        lines.add(text);
    }

    static long p50(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get((sorted.size() - 1) / 2);
    }

    static long max(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
    }

    static String table(Map<String, ?> left, Map<String, ?> right, String leftName, String rightName) {
        StringBuilder b = new StringBuilder("| | " + leftName + " | " + rightName + " |\n|---|---:|---:|\n");
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        for (String k : keys) {
            b.append("| ").append(k).append(" | ").append(left.getOrDefault(k, null) == null ? "0" : left.get(k))
                    .append(" | ").append(right.getOrDefault(k, null) == null ? "0" : right.get(k)).append(" |\n");
        }
        return b.toString();
    }

    synchronized String markdown() {
        StringBuilder b = new StringBuilder("# Chaos run summary\n\n");
        lines.forEach(l -> b.append(l).append('\n'));
        b.append("\n## Faults injected\n\n| # | fault | at (s into the run) | recovery (ms) | detail |\n|---:|---|---:|---:|---|\n");
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            b.append("| ").append(i + 1).append(" | ").append(f.name()).append(" | ").append(f.atSeconds()).append(" | ")
                    .append(f.recoveryMs()).append(" | ").append(f.detail()).append(" |\n");
        }
        List<Long> kills = recoveries("kill -9");
        b.append(String.format(Locale.ROOT, "%nRecovery after kill -9 (kill -> a fresh probe event on every partition "
                + "scored, read_committed): p50 %d ms, max %d ms over %d kills.%n", p50(kills), max(kills), kills.size()));
        return b.toString();
    }

    void write(Path file) {
        String md = markdown();
        System.out.println(md);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
