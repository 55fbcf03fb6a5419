package io.intentstream.demo;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) running inside this JVM,
 * listening on 127.0.0.1 only. Used by the {@code demo} command and by the end-to-end tests.
 *
 * <p>Kafka's own test kit binds every interface whatever the listener config says, so this class
 * drives {@link KafkaRaftServer} directly.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteOnClose, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker with its log in a fresh temporary directory, deleted on {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("intentstream-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker whose log lives in {@code dataDir}. A directory already formatted by an
     * earlier run is reused, so a demo can be stopped and resumed with its data.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, boolean deleteOnClose) {
        try {
            Files.createDirectories(dataDir);
            Path portsFile = dataDir.resolve("intentstream-ports");
            int brokerPort;
            int controllerPort;
            // A reused data dir must keep its controller port: the quorum voters are in the log.
            if (Files.exists(portsFile)) {
                String[] ports = Files.readString(portsFile).trim().split(",");
                brokerPort = Integer.parseInt(ports[0]);
                controllerPort = Integer.parseInt(ports[1]);
            } else {
                brokerPort = freePort();
                controllerPort = freePort();
                Files.writeString(portsFile, brokerPort + "," + controllerPort);
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, deleteOnClose, brokerPort, controllerPort);
            broker.startServer();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void startServer() throws IOException {
        // A fatal broker error must not take the whole JVM (a test run, the demo) down silently.
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker halted with status " + status + ": " + message);
        });
        Path logDir = dataDir.resolve("log");
        Properties props = brokerProperties(logDir);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props);
        }
        long started = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        log.info("Kafka broker started on {} in {} ms", bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
    }

    private Properties brokerProperties(Path logDir) {
        Properties p = singleNodeProperties(brokerPort, controllerPort, logDir);
        p.setProperty("num.partitions", "3");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.setProperty("background.threads", "2");
        p.setProperty("log.cleaner.threads", "1");
        return p;
    }

    /**
     * A one-node KRaft broker and controller on loopback, PLAINTEXT: one replica for every
     * internal topic and few partitions (fast start, fast recovery), no topic auto-creation, small
     * thread pools and cleaner buffer for a 2-core machine. Shared with the tests' broker process.
     */
    public static Properties singleNodeProperties(int brokerPort, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return p;
    }

    private void format(Properties props) throws IOException {
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "intent-stream embedded broker");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                    "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--standalone"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka log dir failed: " + captured.toString(StandardCharsets.UTF_8));
        }
    }

    /** Stops the broker; deletes its data when it was created in a temporary directory. */
    @Override
    public void close() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Kafka broker shutdown failed", e);
            }
            server = null;
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }
}
