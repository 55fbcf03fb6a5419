package io.intentstream.it;

import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.it.bench.GroupLag;
import io.intentstream.it.bench.LiveRun;
import io.intentstream.it.bench.PassthroughApp;
import io.intentstream.model.ModelArtifacts;
import io.intentstream.model.ModelSidecar;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The live end-to-end benchmark (a command, see {@code it-tests/bench-live.sh}): per app a fresh
 * real broker with the registry in this JVM (the load generator too), each app under test as its
 * own child JVM, Avro and exactly_once_v2 throughout. Per app: (1) throughput from the same pre-loaded
 * input, read from offset 0; (2) the sustainable live rate, found with a paced producer (lag
 * bounded for a whole trial); (3) visible latency at half that rate, as a read_committed consumer
 * sees it; (4) changelog records written per event.
 *
 * <p>Options: {@code --events (users × the model's window) --users 20000 --trial-seconds 60
 * --modes passthrough,recompute,default --out target/live-benchmark.md --app-settings key=value,... --latency-rate 0}.
 * The default pre-load fills every shopper's sequence to the model's window (50 events), where it
 * stops growing, as in production once shoppers have a history: with fewer, sequences grow through
 * the search and each event costs less than in steady state (every event re-reads and re-writes the
 * stored sequence and maps its window), so the rates found are optimistic. App settings override those
 * of the apps under test (e.g. {@code streams.num.stream.threads=2}); a latency rate above 0 measures
 * visible latency at that rate and skips the search for the sustainable rate (to compare settings).
 */
public final class LiveBenchmark {
    private LiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int users = Integer.parseInt(o.getOrDefault("users", "20000"));
        int window = modelWindow();
        int events = Integer.parseInt(o.getOrDefault("events", String.valueOf(users * window)));
        Duration trial = Duration.ofSeconds(Long.parseLong(o.getOrDefault("trial-seconds", "60")));
        List<String> modes = List.of(o.getOrDefault("modes", "passthrough,recompute,default").split(","));
        Path out = Path.of(o.getOrDefault("out", "target/live-benchmark.md"));
        double latencyRate = Double.parseDouble(o.getOrDefault("latency-rate", "0"));
        Path work = Files.createTempDirectory("live-bench");

        List<LiveRun.Result> results = new ArrayList<>();
        for (String mode : modes) {
            // A broker of its own per app: the paced trials of one app must not become the next app's backlog.
            try (TestKafka kafka = new TestKafka(); GroupLag lag = new GroupLag(kafka.bootstrapServers())) {
                kafka.createTopics();
                LiveRun.Setup setup = new LiveRun.Setup(kafka.bootstrapServers(), kafka.registryUrl(), users, trial, lag,
                        () -> ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() / 1e9);
                try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
                    setup.preload(producer, events);
                }
                String appId = "bench-" + mode;
                int httpPort = Ports.free();
                ChildJvm app = start(mode, appId, kafka, work, o.getOrDefault("app-settings", ""), httpPort);
                try {
                    results.add(new LiveRun(setup, mode, appId, app::cpuSeconds, name -> scrape(httpPort, name))
                            .measure(events, latencyRate));
                } finally {
                    app.terminate(Duration.ofSeconds(60));
                    app.close();
                }
                System.out.println(results.get(results.size() - 1));
            }
        }
        String report = LiveRun.report(results, events, users, window, trial);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** The packaged model's window (max_seq_len): a shopper's stored sequence stops growing there. */
    private static int modelWindow() throws java.io.IOException {
        try (java.io.InputStream in = LiveBenchmark.class.getClassLoader().getResourceAsStream(
                ModelArtifacts.CLASSPATH_DIR + ModelArtifacts.SIDECAR)) {
            if (in == null) {
                throw new java.io.IOException("no packaged model on the class path");
            }
            return ModelSidecar.parse(in).maxSeqLen();
        }
    }

    /** Sum of the app's Prometheus samples named {@code name}; NaN when it has no such metric (the passthrough). */
    static double scrape(int port, String name) {
        try {
            double sum = Double.NaN;
            for (String line : Http.get("http://127.0.0.1:" + port + "/metrics").body().split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = Double.isNaN(sum) ? v : sum + v;
                }
            }
            return sum;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static ChildJvm start(String mode, String appId, TestKafka kafka, Path work, String overrides, int httpPort)
            throws Exception {
        Path log = Path.of("target", "it-logs", "live-bench-" + mode + ".log");
        if (mode.equals("passthrough")) {
            return ChildJvm.startMain(log, PassthroughApp.class.getName(),
                    List.of(kafka.bootstrapServers(), appId, work.resolve(appId).toString()));
        }
        Properties p = new Properties();
        p.putAll(kafka.appSettings(appId, work.resolve(appId)));
        switch (mode) {
            case "per-event" -> p.setProperty("scoring.mode", "per-event");
            case "recompute" -> { // the old cost model: a full forward pass over the stored events, and a
                // recommendation, for every event
                p.setProperty("scoring.mode", "per-event");
                p.setProperty("scoring.cache.max.bytes", "1");
                p.setProperty("recommend.interval.ms", "0");
            }
            case "default" -> { }
            case "default-2-threads" -> p.setProperty("streams.num.stream.threads", "2");
            default -> throw new IllegalArgumentException("mode " + mode
                    + ": passthrough, recompute, per-event, default or default-2-threads");
        }
        for (String kv : overrides.split(",")) {
            if (!kv.isBlank()) {
                p.setProperty(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        Path config = work.resolve(appId + ".properties");
        try (var w = Files.newOutputStream(config)) {
            p.store(w, "live benchmark " + mode);
        }
        return ChildJvm.start(log, List.of("run", "--config", config.toString(), "--http-port", Integer.toString(httpPort)));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
