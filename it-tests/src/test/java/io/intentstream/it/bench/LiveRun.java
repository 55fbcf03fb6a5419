package io.intentstream.it.bench;

import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The measurements of one app in the live benchmark; see {@code LiveBenchmark}. */
public final class LiveRun {
    /** What every run shares: the broker, the registry, the shoppers, the trial length. */
    public record Setup(String bootstrap, String registryUrl, int users, Duration trial, GroupLag lag,
                        DoubleSupplier harnessCpuSeconds) {
        /** Writes {@code events} events as fast as the broker takes them, and the passthrough's output topic. */
        public void preload(ShopEventProducer producer, int events) throws Exception {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(PassthroughApp.OUTPUT, 3, (short) 1))).all().get();
            }
            BenchTraffic traffic = new BenchTraffic(users, "pre");
            for (int i = 0; i < events; i++) {
                producer.send(traffic.next());
            }
            producer.flush();
        }
    }

    /** One app's figures. Rates in events/s, latency in ms, CPU in cores. */
    public record Result(String mode, double throughput, double appCoresAtThroughput, double harnessCores,
                         double sustainable, boolean bounded, long p50, long p99, double latencyRate,
                         double appCoresAtLatencyRate, double harnessCoresAtLatencyRate, double changelogPerEvent,
                         double changelogPerEventMetric, double changelogBytesPerEvent) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: throughput %.0f/s (app %.2f cores), sustainable %s%.0f/s, "
                    + "visible latency at %.0f/s p50 %d ms p99 %d ms (app %.2f cores, load generator + broker %.2f), "
                    + "changelog records/event %.2f (app metric %.3f), changelog bytes/event %.0f",
                    mode, throughput, appCoresAtThroughput, bounded ? "" : ">= ", sustainable, latencyRate, p50, p99,
                    appCoresAtLatencyRate, harnessCoresAtLatencyRate, changelogPerEvent, changelogPerEventMetric,
                    changelogBytesPerEvent);
        }
    }

    static final String CHANGELOG_RECORDS = "intentstream_state_changelog_records_total";
    static final String CHANGELOG_BYTES = "intentstream_state_changelog_bytes_total";
    static final String EVENTS_IN = "intentstream_events_in_total";

    /** Paced load before the latency measurement starts. */
    static final Duration LATENCY_WARMUP = Duration.ofSeconds(10);

    private final Setup setup;
    private final String mode;
    private final String group;
    private final DoubleSupplier appCpuSeconds;
    private final java.util.function.ToDoubleFunction<String> appMetric;

    /** @param appMetric the app's Prometheus metric by name (summed over labels), NaN when it has none */
    public LiveRun(Setup setup, String mode, String applicationId, DoubleSupplier appCpuSeconds,
                   java.util.function.ToDoubleFunction<String> appMetric) {
        this.setup = setup;
        this.mode = mode;
        this.group = applicationId;
        this.appCpuSeconds = appCpuSeconds;
        this.appMetric = appMetric;
    }

    /**
     * @param latencyRate events/s at which to measure visible latency without searching the
     *                    sustainable rate (faster, for comparing settings); 0 = search, then half of it
     */
    public Result measure(int preloaded, double latencyRate) throws Exception {
        // (1) Throughput: from the first committed progress to the whole pre-loaded input.
        long start = awaitCommitted(1, Duration.ofMinutes(3));
        double cpu0 = appCpuSeconds.getAsDouble();
        double harness0 = setup.harnessCpuSeconds().getAsDouble();
        long firstCommitted = setup.lag().committed(group);
        long done = awaitCommitted(preloaded, Duration.ofMinutes(30));
        double seconds = (done - start) / 1e9;
        double throughput = (preloaded - firstCommitted) / seconds;
        double appCores = (appCpuSeconds.getAsDouble() - cpu0) / seconds;
        double harnessCores = (setup.harnessCpuSeconds().getAsDouble() - harness0) / seconds;

        long changelog0 = changelogRecords();
        long events0 = setup.lag().committed(group);
        double metricRecords0 = appMetric.applyAsDouble(CHANGELOG_RECORDS);
        double metricBytes0 = appMetric.applyAsDouble(CHANGELOG_BYTES);
        double metricEvents0 = appMetric.applyAsDouble(EVENTS_IN);
        // (2) Sustainable rate: lag bounded for a whole paced trial; search up and down from a start.
        BenchTraffic traffic = new BenchTraffic(setup.users(), "live");
        double best = 0;
        double rate = Math.max(100, throughput * 0.6);
        double failedAt = Double.MAX_VALUE;
        try (ShopEventProducer producer = new ShopEventProducer(setup.bootstrap(), setup.registryUrl())) {
            for (int trial = 0; trial < 8 && latencyRate <= 0; trial++) {
                boolean kept;
                try {
                    kept = trial(producer, traffic, rate);
                } catch (GeneratorLimit limit) {
                    System.out.printf(Locale.ROOT, "%s: the load generator offered only %.0f events/s of %.0f%n", mode,
                            limit.offered, rate);
                    caughtUp(Duration.ofMinutes(5));
                    break;
                }
                System.out.printf(Locale.ROOT, "%s: %.0f events/s %s%n", mode, rate, kept ? "sustained" : "fell behind");
                if (kept) {
                    best = Math.max(best, rate);
                } else {
                    failedAt = Math.min(failedAt, rate);
                }
                rate = failedAt == Double.MAX_VALUE ? rate * 1.5 : (best + failedAt) / 2;
                if ((best > 0 && failedAt / best < 1.15) || !caughtUp(Duration.ofMinutes(5))) {
                    break;
                }
                if (best == 0) {
                    rate = Math.max(50, failedAt * 0.5);
                }
            }
            long p50 = -1;
            long p99 = -1;
            double appCoresHalf = Double.NaN;
            double harnessCoresHalf = Double.NaN;
            if (latencyRate > 0) {
                // One trial at the rate in place of the search: the JIT, the caches and the broker
                // warm up as they would during a search.
                System.out.printf(Locale.ROOT, "%s: %.0f events/s %s%n", mode, latencyRate,
                        trial(producer, traffic, latencyRate) ? "sustained" : "fell behind");
                best = Double.NaN;   // not searched
            }
            double half = latencyRate > 0 ? latencyRate : Math.max(50, best / 2);
            if (caughtUp(Duration.ofMinutes(5))) {
                // (3) Visible latency at half the sustainable rate.
                try (VisibleLatency latency = new VisibleLatency(setup.bootstrap(), setup.registryUrl(),
                        mode.equals("passthrough") ? PassthroughApp.OUTPUT : Topics.SCORES.name(), mode.equals("passthrough"))) {
                    // A warm-up at the same rate first, reported but not counted: resuming from idle, the
                    // first seconds' latency climbs to over a second before it settles (BENCHMARKS.md).
                    PacedLoad.run(producer, traffic, half, LATENCY_WARMUP);
                    List<Long> warm = latency.drain();
                    System.out.printf(Locale.ROOT, "%s: warm-up %d s at %.0f/s (not counted): p50 %d p99 %d max %d ms; "
                            + "seconds with a score over 150 ms: %s%n", mode, LATENCY_WARMUP.toSeconds(), half,
                            VisibleLatency.percentile(warm, 0.5), VisibleLatency.percentile(warm, 0.99),
                            VisibleLatency.percentile(warm, 1.0), latency.stalls(150));
                    double app0 = appCpuSeconds.getAsDouble();
                    double h0 = setup.harnessCpuSeconds().getAsDouble();
                    long t0 = System.nanoTime();
                    PacedLoad.run(producer, traffic, half, setup.trial());
                    double secs = (System.nanoTime() - t0) / 1e9;
                    appCoresHalf = (appCpuSeconds.getAsDouble() - app0) / secs;
                    harnessCoresHalf = (setup.harnessCpuSeconds().getAsDouble() - h0) / secs;
                    Thread.sleep(2000);
                    String split = latency.split();
                    String recommendations = latency.recommendations();
                    List<Long> samples = latency.drain();
                    p50 = VisibleLatency.percentile(samples, 0.5);
                    p99 = VisibleLatency.percentile(samples, 0.99);
                    System.out.printf(Locale.ROOT, "%s: visible latency at %.0f/s over %d scores: p50 %d p90 %d p99 %d p99.9 %d "
                            + "max %d ms%s; seconds with a score over %d ms: %s%n", mode, half, samples.size(), p50,
                            VisibleLatency.percentile(samples, 0.9), p99, VisibleLatency.percentile(samples, 0.999),
                            VisibleLatency.percentile(samples, 1.0), split, 150, latency.stalls(150));
                    if (!recommendations.isEmpty()) {
                        System.out.printf(Locale.ROOT, "%s: recommendations per second: %s%n", mode, recommendations);
                    }
                }
                caughtUp(Duration.ofMinutes(5));
            }
            long events = setup.lag().committed(group) - events0;
            double perEvent = events == 0 ? Double.NaN : (double) (changelogRecords() - changelog0) / events;
            double eventsIn = appMetric.applyAsDouble(EVENTS_IN) - metricEvents0;
            double perEventMetric = perEvent(appMetric.applyAsDouble(CHANGELOG_RECORDS) - metricRecords0, eventsIn);
            double bytesPerEvent = perEvent(appMetric.applyAsDouble(CHANGELOG_BYTES) - metricBytes0, eventsIn);
            return new Result(mode, throughput, appCores, harnessCores, best, failedAt != Double.MAX_VALUE, p50, p99, half,
                    appCoresHalf, harnessCoresHalf, perEvent, perEventMetric, bytesPerEvent);
        }
    }

    /**
     * One paced trial: kept up if, at its end, the app is less than two seconds of input behind.
     * A trial the load generator could not offer (under 95% of the rate sent) says nothing about
     * the app: it throws, and the search stops at the rate that was offered.
     */
    private boolean trial(ShopEventProducer producer, BenchTraffic traffic, double rate) throws Exception {
        long sent = PacedLoad.run(producer, traffic, rate, setup.trial());
        double offered = sent / (double) setup.trial().toSeconds();
        if (offered < rate * 0.95) {
            throw new GeneratorLimit(offered);
        }
        long behind = setup.lag().produced() - setup.lag().committed(group);
        return behind < rate * 2;
    }

    /** The load generator, not the app, set the limit. */
    private static final class GeneratorLimit extends Exception {
        final double offered;

        GeneratorLimit(double offered) {
            super(null, null, false, false);
            this.offered = offered;
        }
    }

    private long changelogRecords() {
        List<String> topics = setup.lag().changelogs(group);
        return topics.isEmpty() ? 0 : setup.lag().endOffsets(topics);
    }

    /** Waits for the app to process everything produced so far; false if it cannot within the timeout. */
    private boolean caughtUp(Duration timeout) throws InterruptedException {
        try {
            awaitCommitted(setup.lag().produced(), timeout);
            return true;
        } catch (IllegalStateException behind) {
            System.out.println(behind.getMessage());
            return false;
        }
    }

    private long awaitCommitted(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (setup.lag().committed(group) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(mode + " did not reach " + target + " committed input records in " + timeout);
            }
            Thread.sleep(100);
        }
        return System.nanoTime();
    }

    /** BENCHMARKS.md's live table for these results. */
    public static String report(List<Result> results, int events, int users, int window, Duration trial) {
        double ceiling = results.stream().filter(r -> r.mode().equals("passthrough")).mapToDouble(Result::sustainable)
                .findFirst().orElse(Double.NaN);
        double perShopper = (double) events / users;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Pre-loaded %,d events from %,d shoppers (%.0f each; the model's window is %d); paced trials of %d s.%n%n",
                events, users, perShopper, window, trial.toSeconds()));
        if (perShopper < window) {
            b.append("Sequences were shorter than the window, so they grew through the search: each event cost less than in "
                    + "steady state and the rates below are optimistic (BENCHMARKS.md, run H).\n\n");
        }
        b.append("| app | throughput, pre-loaded (events/s) | app CPU (cores) | sustainable live (events/s) | ratio to passthrough "
                + "| visible p50 / p99 (ms) at | app / load generator + broker CPU there (cores) | app CPU per event there (µs) "
                + "| changelog records per event: app metric / end offsets (+ transaction markers) | changelog bytes per event |\n"
                + "|---|---:|---:|---:|---:|---|---|---:|---|---:|\n");
        for (Result r : results) {
            String sustainable = Double.isNaN(r.sustainable()) ? "not searched"
                    : String.format(Locale.ROOT, "%s%,.0f", r.bounded() ? "" : "≥ ", r.sustainable());
            double ratio = r.sustainable() / ceiling;
            String latency = r.p99() < 0 ? "n/a" : String.format(Locale.ROOT, "%d / %d at %,.0f/s", r.p50(), r.p99(), r.latencyRate());
            b.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %s | %s | %s | %s / %s | %s | %s / %s | %s |%n",
                    r.mode(), r.throughput(), r.appCoresAtThroughput(), sustainable, orNa(ratio, "%.3f"), latency,
                    orNa(r.appCoresAtLatencyRate(), "%.2f"), orNa(r.harnessCoresAtLatencyRate(), "%.2f"),
                    orNa(r.appCoresAtLatencyRate() / r.latencyRate() * 1e6, "%.0f"), orNa(r.changelogPerEventMetric(), "%.3f"),
                    orNa(r.changelogPerEvent(), "%.2f"), orNa(r.changelogBytesPerEvent(), "%,.0f")));
        }
        results.stream().filter(r -> r.mode().equals("passthrough")).findFirst().ifPresent(r -> b.append(String.format(
                Locale.ROOT, "%nLoad generator + broker + registry (one JVM) used %.2f cores during the passthrough's "
                        + "throughput phase.%n", r.harnessCores())));
        return b.toString();
    }

    /** "n/a" for what an app does not have or a run did not measure (the passthrough's changelog metric, a ratio without a passthrough). */
    private static String orNa(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
    }

    /**
     * A counter's increase per event; NaN when no event came in or the counter went back (a
     * producer replaced mid-run restarts its share of Kafka's metrics from zero).
     */
    private static double perEvent(double increase, double events) {
        return events > 0 && increase >= 0 ? increase / events : Double.NaN;
    }
}
