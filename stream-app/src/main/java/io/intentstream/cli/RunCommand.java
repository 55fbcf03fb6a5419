package io.intentstream.cli;

import io.intentstream.app.AppOptions;
import io.intentstream.app.IntentStreamApp;
import io.intentstream.config.IntentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code run}: the production app against the configured Kafka cluster and schema registry. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the stream app against the configured Kafka cluster and schema registry.",
                "Settings: packaged defaults < --config file < INTENTSTREAM_* environment variables.",
                "Stops cleanly on SIGTERM / Ctrl-C (commits, leaves the group)."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "Properties file (keys as in intent-stream.defaults.properties)")
    Path config;

    @Option(names = "--create-topics", description = "Create the contract's topics if missing")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of topics created by --create-topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3",
            description = "Replication factor of topics created by --create-topics (default: ${DEFAULT-VALUE})")
    short replication;

    @Option(names = "--shutdown-timeout", defaultValue = "PT30S", description = "Grace period for a clean stop (default: ${DEFAULT-VALUE})")
    Duration shutdownTimeout;

    @Mixin
    HttpOptions http = new HttpOptions();

    @Override
    public Integer call() throws InterruptedException {
        IntentConfig cfg = IntentConfig.load(config);
        AppOptions options = http.appOptions(cfg, createTopics, partitions, replication);
        IntentStreamApp app = new IntentStreamApp(cfg, options);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(shutdownTimeout);
            closed.countDown();
        }, "intent-stream-shutdown"));
        try {
            app.start();
        } catch (RuntimeException e) {
            System.err.println("intent-stream failed to start: " + e.getMessage());
            app.close(Duration.ofSeconds(5));
            return 1;
        }
        System.err.println("intent-stream running; HTTP on " + app.httpUrl() + " (health: /health/ready, metrics: /metrics)");
        app.awaitStop();
        // A stream app that died on its own (ERROR) exits non-zero so the orchestrator restarts it.
        boolean failed = !closed.await(0, TimeUnit.MILLISECONDS) && !app.isLive();
        app.close(shutdownTimeout);
        return failed ? 1 : 0;
    }
}
