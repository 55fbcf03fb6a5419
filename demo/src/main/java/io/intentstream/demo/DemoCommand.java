package io.intentstream.demo;

import io.intentstream.app.IntentStreamApp;
import io.intentstream.cli.DurationConverter;
import io.intentstream.cli.HttpOptions;
import io.intentstream.config.IntentConfig;
import io.intentstream.clickstream.ShopEventProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo}: everything in one process, nothing to install. A real KRaft broker and the
 * project's schema registry on loopback, the stream app, simulated shoppers over the model's
 * catalog and a live summary. Ctrl-C stops the parts in reverse order of their start.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs an in-process Kafka broker (KRaft, 127.0.0.1 only), the schema registry, the stream app "
                + "and a shopper traffic simulator over the model's catalog, and shows a live summary.",
                "Ctrl-C stops it cleanly (simulator, app, registry, broker)."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "200", description = "Concurrent simulated shoppers (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--rate", defaultValue = "50", description = "Events per second over all shoppers (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", description = "Stop after this long, e.g. PT2M or 90s (default: until Ctrl-C)",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--data-dir", description = "Keep broker and state data here (reused on the next run); default: a temp dir removed on exit")
    Path dataDir;

    @Option(names = "--catalog", description = "catalog.json to simulate over (default: the packaged model's catalog)")
    Path catalogFile;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--refresh", defaultValue = "PT2S", converter = DurationConverter.class,
            description = "Summary refresh interval (default: 2s)")
    Duration refresh;

    @Option(names = "--plain", description = "Print summary blocks instead of redrawing the terminal")
    boolean plain;

    @Option(names = {"-c", "--config"}, description = "Extra app settings (properties); Kafka and registry addresses are the demo's own")
    Path config;

    @Mixin
    HttpOptions http = new HttpOptions();

    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        long started = System.currentTimeMillis();
        boolean ansi = !plain && System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Catalog catalog = catalogFile == null ? Catalog.packagedOrSynthetic() : Catalog.load(catalogFile);
            Path root = dataDir != null ? dataDir : Files.createTempDirectory("intentstream-demo-");
            if (dataDir == null) {
                running.push(() -> deleteTree(root));
            }
            status("starting Kafka broker (KRaft, 127.0.0.1)...");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), false);
            running.push(broker);
            EmbeddedRegistry registry = dataDir == null ? EmbeddedRegistry.start() : EmbeddedRegistry.start(root.resolve("registry.json"));
            running.push(registry);
            status("broker " + broker.bootstrapServers() + ", schema registry " + registry.url());

            // The demo's tuning sits below the user's file and environment; where its broker and
            // registry are is not negotiable.
            IntentConfig cfg = IntentConfig.load(demoDefaults(), config, System.getenv(), demoWiring(broker, registry, root));
            IntentStreamApp app = new IntentStreamApp(cfg, http.appOptions(cfg, true, 3, (short) 1));
            running.push(app);
            app.start();
            status("stream app starting; HTTP on " + app.httpUrl());

            OutputTap tap = new OutputTap(broker.bootstrapServers()).start();
            running.push(tap);
            ShopEventProducer producer = new ShopEventProducer(broker.bootstrapServers(), registry.url());
            running.push(producer);
            TrafficSimulator simulator = new TrafficSimulator(catalog, users, rate, seed, producer::send).start();
            running.push(simulator);
            status(String.format("simulating %d shoppers at %.0f events/s over %d items; Ctrl-C to stop", users, rate, catalog.itemCount()));

            if (ansi) {
                // INFO lines would scroll the redrawn summary away; warnings still show.
                org.apache.logging.log4j.core.config.Configurator.setLevel("io.intentstream", org.apache.logging.log4j.Level.WARN);
            }
            LiveSummary summary = new LiveSummary(app.meterRegistry(), tap, () -> app.model().version(),
                    () -> app.model().provider(), app.httpUrl(), started);
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            boolean reportedFirstScore = false;
            while (!stop.await(Math.min(refresh.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                if (!reportedFirstScore && tap.firstScoreAtMillis() > 0) {
                    reportedFirstScore = true;
                    status(String.format("first score %.1f s after start", (tap.firstScoreAtMillis() - started) / 1000.0));
                }
                summary.print(System.out, ansi);
                if (System.nanoTime() >= deadline) {
                    break;
                }
                if (!app.isLive()) {
                    status("stream app stopped unexpectedly (" + app.describe() + ")");
                    return 1;
                }
            }
            return 0;
        } finally {
            shutdown();
            stopped.countDown();
            if (stop.getCount() > 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
            }
        }
    }

    /** Stops in reverse start order: simulator, producer, tap, app, registry, broker, temp data. */
    private void shutdown() {
        status("stopping...");
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("error stopping " + part.getClass().getSimpleName() + ": " + e);
            }
        }
        status("demo stopped cleanly");
    }

    private static Map<String, String> demoWiring(EmbeddedKafkaBroker broker, EmbeddedRegistry registry, Path root) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", broker.bootstrapServers());
        s.put("registry.schema.registry.url", registry.url());
        s.put("streams.application.id", "intent-stream-demo");
        s.put("streams.state.dir", root.resolve("streams").toString());
        s.put("streams.replication.factor", "1");
        return s;
    }

    private static Map<String, String> demoDefaults() {
        Map<String, String> s = new HashMap<>();
        // The demo machine may have 2 cores: one stream thread, and an ORT pool that leaves room for Kafka.
        s.put("streams.num.stream.threads", "1");
        s.put("inference.intra.op.threads", String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        // Simulated visits are minutes long, so the abandonment trigger reacts in a demo's time span.
        s.put("trigger.cart-abandonment.idle.ms", "60000");
        s.put("trigger.high-intent.cooldown.ms", "120000");
        return s;
    }

    private static void status(String message) {
        System.err.println("[demo] " + message);
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
