package io.intentstream.it.chaos;

import io.intentstream.demo.EmbeddedKafkaBroker;
import io.intentstream.it.Await;
import io.intentstream.it.Ports;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker (broker + controller) as a child JVM, so that it can be stopped and
 * started again on the same ports and log directory while clients keep their bootstrap address.
 * The class path is this test run's (Kafka's jars are on it through the stream app); the log
 * directory is formatted once, in this JVM, with Kafka's own {@link StorageTool}.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dir;
    private final Path properties;
    private final int port = Ports.free();
    private final int controllerPort = Ports.free();
    private final Path log;
    private Process process;
    private int starts;

    BrokerProcess(Path dir, Path logDir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.log = logDir;
        Files.createDirectories(logDir);
        properties = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(properties)) {
            serverProperties().store(out, "chaos suite broker");
        }
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = WARN", "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console", "appender.out.name = out",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                "logger.state.name = state.change.logger", "logger.state.level = ERROR", ""));
        format();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker JVM and waits until it answers as a cluster of one. */
    void start(Duration timeout) throws IOException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.net.preferIPv4Stack=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "kafka.Kafka", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve("broker.log").toFile()));
        // In CLASSPATH, not on the command line: the test class path is long.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        process = builder.start();
        Await.until("broker " + bootstrapServers() + " up (start " + starts + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + "; see " + log.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(),
                    "request.timeout.ms", 2000, "default.api.timeout.ms", 3000))) {
                return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** SIGTERM: a controlled shutdown, as an operator's restart would do; returns the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("broker did not stop within " + timeout + " after SIGTERM");
        }
        return process.exitValue();
    }

    /** The demo broker's single-node settings, with more I/O threads for the chaos run's load. */
    private Properties serverProperties() {
        Properties p = EmbeddedKafkaBroker.singleNodeProperties(port, controllerPort, dir.resolve("log"));
        p.setProperty("num.io.threads", "4");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return p;
    }

    private void format() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(),
                    "--standalone"}, out);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + dir, e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the broker log dir failed: " + captured.toString(StandardCharsets.UTF_8));
        }
    }

    List<String> describe() {
        return List.of("1 KRaft broker+controller as a child JVM at " + bootstrapServers(), "started " + starts + " times");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
