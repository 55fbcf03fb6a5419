package io.intentstream.it.security;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node KRaft broker whose only client listener is SASL_SSL with SCRAM-SHA-512, as a
 * secured production cluster would offer; brokers and the controller talk over loopback
 * PLAINTEXT listeners no client is told about. The SCRAM user is created when the log is
 * formatted ({@code --add-scram}), so no unauthenticated admin call is ever needed.
 */
public final class SecuredKafkaBroker implements AutoCloseable {
    public static final String MECHANISM = "SCRAM-SHA-512";
    private final int clientPort;
    private final KafkaRaftServer server;

    private SecuredKafkaBroker(int clientPort, KafkaRaftServer server) {
        this.clientPort = clientPort;
        this.server = server;
    }

    public static SecuredKafkaBroker start(Path dir, TestCertificates certs, String user, String password) throws IOException {
        int clientPort = freePort();
        int internalPort = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("listeners", "SECURE://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "SECURE://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
        p.setProperty("listener.security.protocol.map", "SECURE:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("sasl.enabled.mechanisms", MECHANISM);
        p.setProperty("listener.name.secure.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("listener.name.secure.ssl.keystore.location", certs.keystore().toString());
        p.setProperty("listener.name.secure.ssl.keystore.password", certs.password());
        p.setProperty("listener.name.secure.ssl.key.password", certs.password());
        p.setProperty("listener.name.secure.ssl.keystore.type", "PKCS12");
        p.setProperty("log.dirs", dir.resolve("log").toString());
        for (String single : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr", "default.replication.factor"}) {
            p.setProperty(single, "1");
        }
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        format(dir, p, user, password);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        return new SecuredKafkaBroker(clientPort, server);
    }

    /** The SASL_SSL listener, the only one clients are given. */
    public String bootstrapServers() {
        return "127.0.0.1:" + clientPort;
    }

    private static void format(Path dir, Properties props, String user, String password) throws IOException {
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "secured test broker");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(),
                    "--standalone", "--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the secured broker failed: " + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
