package io.intentstream.it.chaos;

import io.intentstream.it.Await;
import io.intentstream.it.ChildJvm;
import io.intentstream.it.Http;
import io.intentstream.it.Ports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app as a group of child processes started the way users start it ({@code java -jar
 * intent-stream.jar run}), each with its own state directory and HTTP port, all in one
 * application id. The fail-over settings are the shipped defaults (one standby replica, 10 s
 * session timeout): the run measures what users get.
 */
final class AppCluster implements AutoCloseable {
    static final String APPLICATION_ID = "intent-chaos";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path work;
    private final Path logs;
    private final List<Path> configs = new ArrayList<>();
    private final int[] ports;
    private final ChildJvm[] instances;
    private final int[] starts;

    AppCluster(int size, Path work, Path logs, String bootstrapServers, String registryUrl, Path modelDir) throws IOException {
        this.work = work;
        this.logs = logs;
        ports = new int[size];
        instances = new ChildJvm[size];
        starts = new int[size];
        for (int i = 0; i < size; i++) {
            ports[i] = Ports.free();
            Properties p = new Properties();
            p.setProperty("kafka.bootstrap.servers", bootstrapServers);
            p.setProperty("registry.schema.registry.url", registryUrl);
            p.setProperty("streams.application.id", APPLICATION_ID);
            p.setProperty("streams.state.dir", work.resolve("state-" + i).toString());
            p.setProperty("streams.replication.factor", "1");
            // Three instances share the machine's cores: one ORT thread each.
            p.setProperty("inference.intra.op.threads", "1");
            p.setProperty("model.dir", modelDir.toString());
            p.setProperty("model.watch.interval.ms", "2000");
            // Every shopper's first score raises a trigger (and never again: lower bound 0 never re-arms),
            // so trigger ids are plenty and a re-emitted one would show.
            p.setProperty("trigger.high-intent.upper", "0.000001");
            p.setProperty("trigger.high-intent.lower", "0.0");
            Path file = work.resolve("instance-" + i + ".properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "chaos suite instance " + i);
            }
            configs.add(file);
        }
    }

    int size() {
        return instances.length;
    }

    int port(int i) {
        return ports[i];
    }

    String url(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    void start(int i) {
        starts[i]++;
        instances[i] = ChildJvm.start(logs.resolve("instance-" + i + "-run-" + starts[i] + ".log"),
                List.of("run", "--config", configs.get(i).toString(), "--http-port", String.valueOf(ports[i])));
    }

    void startAll() {
        for (int i = 0; i < size(); i++) {
            start(i);
        }
    }

    void kill9(int i) throws InterruptedException {
        instances[i].kill9();
    }

    /** SIGTERM, as a rolling restart does; the exit must be clean (0, or 143 for the signal). */
    int terminate(int i) throws InterruptedException {
        return instances[i].terminate(Duration.ofSeconds(90));
    }

    boolean isReady(int i) {
        try {
            return instances[i] != null && instances[i].isAlive() && Http.status(url(i) + "/health/ready") == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    void awaitReady(int i) {
        try {
            Await.until("instance " + i + " ready", READY_TIMEOUT, () -> {
                if (!instances[i].isAlive()) {
                    throw new AssertionError("instance " + i + " exited");
                }
                return Http.status(url(i) + "/health/ready") == 200;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + instances[i].tail(), e);
        }
    }

    void awaitAllReady() {
        for (int i = 0; i < size(); i++) {
            awaitReady(i);
        }
    }

    /** Sum over the live instances of a Prometheus counter's samples whose labels contain {@code labelFilter}. */
    double metricSum(int i, String name, String labelFilter) {
        String body = Http.get(url(i) + "/metrics").body();
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+([0-9.eE+-]+)").matcher(body);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelFilter)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    String tail(int i) {
        return instances[i] == null ? "" : instances[i].tail();
    }

    int starts(int i) {
        return starts[i];
    }

    Path work() {
        return work;
    }

    @Override
    public void close() {
        for (ChildJvm c : instances) {
            if (c != null) {
                c.close();
            }
        }
    }
}
