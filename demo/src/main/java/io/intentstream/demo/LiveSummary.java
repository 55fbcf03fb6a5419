package io.intentstream.demo;

import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendedItem;
import io.intentstream.metrics.IntentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The demo's terminal view: input rates, scoring latency and batching, the served model, the
 * most likely buyers and the newest triggers and recommendations. Rates are per refresh interval;
 * latency percentiles come from the app's own timers (a decaying window).
 */
public final class LiveSummary {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String[] TYPES = {"browse", "search", "cart"};

    private final MeterRegistry registry;
    private final OutputTap tap;
    private final Supplier<String> modelVersion;
    private final Supplier<String> provider;
    private final String httpUrl;
    private final long startedAtMillis;
    private final Map<String, Double> lastCounts = new HashMap<>();
    private long lastBatchCount;
    private double lastBatchTotal;
    private long lastRenderNanos = System.nanoTime();
    private long lastScores;

    public LiveSummary(MeterRegistry registry, OutputTap tap, Supplier<String> modelVersion, Supplier<String> provider,
                       String httpUrl, long startedAtMillis) {
        this.registry = registry;
        this.tap = tap;
        this.modelVersion = modelVersion;
        this.provider = provider;
        this.httpUrl = httpUrl;
        this.startedAtMillis = startedAtMillis;
    }

    /** Renders one frame; call at a steady interval (rates are over the time since the last call). */
    public String render() {
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastRenderNanos) / 1e9);
        lastRenderNanos = now;
        StringBuilder b = new StringBuilder();
        long up = (System.currentTimeMillis() - startedAtMillis) / 1000;
        b.append(String.format(Locale.ROOT, "intent-stream demo   up %02d:%02d:%02d   model %s on %s   %s%n",
                up / 3600, up / 60 % 60, up % 60, modelVersion.get(), provider.get(), httpUrl));
        b.append("-".repeat(96)).append('\n');

        StringBuilder rates = new StringBuilder();
        double total = 0;
        for (String type : TYPES) {
            Counter c = registry.find(IntentMetrics.EVENTS_IN).tag("type", type).counter();
            double count = c == null ? 0 : c.count();
            double rate = (count - lastCounts.getOrDefault(type, 0.0)) / seconds;
            lastCounts.put(type, count);
            total += rate;
            rates.append(String.format(Locale.ROOT, "  %s %6.1f", type, rate));
        }
        b.append(String.format(Locale.ROOT, "events/s  %6.1f  |%s%n", total, rates));

        // The step graph: what a warm shopper's event costs (prefill and recommend are tagged apart).
        Timer latency = registry.find(IntentMetrics.INFERENCE_LATENCY).tag("graph", "step").timer();
        DistributionSummary batch = registry.find(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", "step").summary();
        double meanBatch = 0;
        if (batch != null) {
            long count = batch.count();
            double sum = batch.totalAmount();
            meanBatch = count > lastBatchCount ? (sum - lastBatchTotal) / (count - lastBatchCount) : batch.mean();
            lastBatchCount = count;
            lastBatchTotal = sum;
        }
        long scores = tap.scoresSeen();
        b.append(String.format(Locale.ROOT, "step      p50 %6.2f ms   p99 %6.2f ms   mean batch %5.1f users   scores/s %6.1f   (%d scores, %d users, %d triggers)%n",
                percentileMs(latency, 0.5), percentileMs(latency, 0.99), meanBatch, (scores - lastScores) / seconds,
                scores, tap.usersScored(), tap.triggersSeen()));
        lastScores = scores;
        Timer e2e = registry.find(IntentMetrics.EVENT_TO_OUTPUT_LATENCY).timer();
        b.append(String.format(Locale.ROOT, "event->score latency p50 %6.1f ms   p99 %6.1f ms%n",
                percentileMs(e2e, 0.5), percentileMs(e2e, 0.99)));

        b.append('\n').append("top high-intent shoppers                 P(purchase)  likely next              events\n");
        List<IntentScore> top = tap.topShoppers(5);
        if (top.isEmpty()) {
            b.append("  (waiting for the first scores)\n");
        }
        for (IntentScore s : top) {
            b.append(String.format(Locale.ROOT, "  %-38s %9.3f   %-24s %4d%n", clip(s.getUserId(), 38),
                    s.getPurchaseProbability(), likelyNext(s), s.getSequenceLength()));
        }

        b.append('\n').append("latest triggers\n");
        List<IntentTrigger> triggers = tap.latestTriggers();
        if (triggers.isEmpty()) {
            b.append("  (none yet)\n");
        }
        for (IntentTrigger t : triggers.subList(0, Math.min(4, triggers.size()))) {
            b.append(String.format(Locale.ROOT, "  %s  %-22s %-16s score %.3f  cart %s %s (%d lines)%n",
                    CLOCK.format(t.getTriggeredAt()), t.getTriggerType(), clip(t.getUserId(), 16), t.getScore(),
                    t.getCart().getTotalValue().toPlainString(), t.getCart().getCurrency(), t.getCart().getLines().size()));
        }

        b.append('\n').append("latest recommendations\n");
        List<Recommendation> recs = tap.latestRecommendations();
        if (recs.isEmpty()) {
            b.append("  (none yet)\n");
        }
        for (Recommendation r : recs.subList(0, Math.min(4, recs.size()))) {
            String items = r.getItems().stream().limit(4).map(RecommendedItem::getItemId).collect(Collectors.joining(", "));
            b.append(String.format(Locale.ROOT, "  %-16s %-19s %s%n", clip(r.getUserId(), 16), r.getStrategy(), items));
        }
        return b.toString();
    }

    /** Prints a frame: redrawn in place on a terminal, as a plain block otherwise (logs, pipes). */
    public void print(PrintStream out, boolean ansi) {
        String frame = render();
        if (ansi) {
            out.print("\u001b[H\u001b[2J" + frame);
        } else {
            out.println("=== " + CLOCK.format(Instant.now()) + " ===");
            out.print(frame);
        }
        out.flush();
    }

    private static String likelyNext(IntentScore s) {
        return s.getNextAction().stream().findFirst()
                .map((ActionProbability a) -> String.format(Locale.ROOT, "%s %.2f", a.getAction(), a.getProbability()))
                .orElse("-");
    }

    private static double percentileMs(Timer timer, double percentile) {
        if (timer == null) {
            return Double.NaN;
        }
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - percentile) < 1e-9) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "~";
    }
}
