package io.intentstream.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Backend for {@code INTENTSTREAM_IT_KAFKA=testcontainers}: a Kafka container from an image
 * already on the machine ({@code INTENTSTREAM_IT_KAFKA_IMAGE}, default the local stand-in built
 * by {@code infra/ci/build-images.sh}, see {@link CiImages}), configured through the apache/kafka
 * image's {@code KAFKA_*} variables, which the stand-in reads too. Images are never pulled;
 * the container uses the host network and listens on 127.0.0.1 on free ports. Readiness is
 * confirmed by the cluster id we gave it, so a different broker that happens to own the port is
 * never mistaken for ours.
 */
final class ContainerKafka implements KafkaBackend {
    private final GenericContainer<?> container;
    private final String bootstrap;

    /** Attempts with fresh ports: a free port can be taken by another process before the broker binds it. */
    private static final int ATTEMPTS = 2;

    ContainerKafka() {
        String image = System.getenv("INTENTSTREAM_IT_KAFKA_IMAGE");
        if (image == null || image.isBlank()) {
            image = CiImages.load().kafka();
        }
        Started started = startWithRetry(image);
        container = started.container();
        bootstrap = started.bootstrap();
    }

    private static Started startWithRetry(String image) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return start(image);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private record Started(GenericContainer<?> container, String bootstrap) {}

    private static Started start(String image) {
        int port = freePort();
        int controller = freePort();
        String clusterId = Uuid.randomUuid().toString();
        String bootstrap = "127.0.0.1:" + port;
        ImagePullPolicy neverPull = name -> false;
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(neverPull)
                .withNetworkMode("host")
                .withEnv(Map.ofEntries(
                        Map.entry("CLUSTER_ID", clusterId),
                        Map.entry("KAFKA_NODE_ID", "1"),
                        Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                        Map.entry("KAFKA_LISTENERS", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller),
                        Map.entry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port),
                        Map.entry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                        Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + controller),
                        Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "3"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "3"),
                        Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"),
                        Map.entry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")))
                .withStartupTimeout(Duration.ofSeconds(90));
        container.start();
        if (!ourBrokerAnswers(bootstrap, clusterId)) {
            String logs = container.getLogs();
            container.stop();
            throw new IllegalStateException("Kafka container did not become ready on " + bootstrap + "; its log ends:\n"
                    + logs.substring(Math.max(0, logs.length() - 3000)));
        }
        return new Started(container, bootstrap);
    }

    /** True once the broker on {@code bootstrap} answers with the cluster id we gave ours (60 s at most). */
    private static boolean ourBrokerAnswers(String bootstrap, String clusterId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                try {
                    return clusterId.equals(admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() {
        container.stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
