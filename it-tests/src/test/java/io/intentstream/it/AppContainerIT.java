package io.intentstream.it;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.intent.IntentScore;
import io.intentstream.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production image (infra/docker/Dockerfile, built by infra/ci/build-images.sh) run as an
 * orchestrator would run it, against the Kafka stand-in container and the project's registry:
 * readiness, a score on the output topic, metrics, the non-root user, the image's health check,
 * a clean stop on SIGTERM, and Kafka Streams state on the volume surviving a restart. The methods
 * run in order on one container (each start costs ~20 s on 2 cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class AppContainerIT {
    private static final String USER = "container-user-1";
    private static final int EVENTS = 5;

    private final CiImages images = CiImages.load();
    private final String applicationId = "it-container-" + UUID.randomUUID();
    private final String volume = "intent-stream-it-state-" + UUID.randomUUID();
    private TestKafka kafka;
    private AppContainer app;
    private AppContainer restarted;

    @BeforeAll
    void start() {
        kafka = new TestKafka(new ContainerKafka());
        kafka.createTopics();
        DockerClientFactory.instance().client().createVolumeCmd().withName(volume).exec();
        app = startApp();
    }

    private AppContainer startApp() {
        AppContainer c = new AppContainer(images.app(), volume, Map.of(
                "INTENTSTREAM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "INTENTSTREAM_REGISTRY_SCHEMA_REGISTRY_URL", kafka.registryUrl(),
                "INTENTSTREAM_STREAMS_APPLICATION_ID", applicationId,
                "INTENTSTREAM_STREAMS_REPLICATION_FACTOR", "1",
                "INTENTSTREAM_STREAMS_NUM_STANDBY_REPLICAS", "0",
                "INTENTSTREAM_INFERENCE_INTRA_OP_THREADS", "1"));
        Await.until("the app container ready on " + c.baseUrl(), Duration.ofSeconds(120), () -> Http.status(c.baseUrl() + "/health/ready") == 200);
        // The port was free when picked, but host ports are shared: confirm it is our app.
        assertThat(Http.get(c.baseUrl() + "/metrics").body()).contains(applicationId);
        return c;
    }

    @AfterAll
    void stop() {
        for (AppContainer c : new AppContainer[] {app, restarted}) {
            if (c != null) {
                c.remove();
            }
        }
        try {
            DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
        } catch (RuntimeException e) {
            // the volume is gone already or never existed
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void runsAsTheNonRootAppUser() throws Exception {
        var status = app.container().execInContainer("cat", "/proc/1/status");
        assertThat(status.getStdout()).containsPattern("(?m)^Uid:\\s+10001\\s").containsPattern("(?m)^Gid:\\s+10001\\s");
        var cmdline = app.container().execInContainer("cat", "/proc/1/cmdline");
        assertThat(cmdline.getStdout().replace('\0', ' ')).contains("-jar /app/intent-stream.jar run --config /etc/intent-stream/intent-stream.properties");
    }

    @Test
    @Order(2)
    void scoresEventsFromTheBrokerContainer() {
        produceSession(0);
        try (OutputReader outputs = new OutputReader(kafka, java.util.List.of(Topics.SCORES))) {
            Await.until("a score for " + USER + " with all its events", Duration.ofSeconds(90), () -> {
                outputs.poll();
                return outputs.values(Topics.SCORES).stream()
                        .anyMatch(s -> s.getUserId().equals(USER) && s.getSequenceLength() == EVENTS);
            });
            IntentScore score = outputs.values(Topics.SCORES).get(0);
            assertThat(score.getPurchaseProbability()).isBetween(0.0, 1.0);
            assertThat(score.getModelVersion()).isNotBlank();
        }
    }

    @Test
    @Order(3)
    void exposesPrometheusMetrics() {
        HttpResponse<String> metrics = Http.get(app.baseUrl() + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("intentstream_scores_emitted_total", "intentstream_model_loaded 1.0",
                "kafka_stream_thread_process_rate", "jvm_memory_used_bytes");
    }

    @Test
    @Order(4)
    void keepsStreamsStateOnTheVolume() throws Exception {
        var ls = app.container().execInContainer("find", AppContainer.STATE_VOLUME_PATH + "/state/" + applicationId, "-maxdepth", "3");
        assertThat(ls.getStdout()).contains("/rocksdb");
        var owner = app.container().execInContainer("stat", "-c", "%u", AppContainer.STATE_VOLUME_PATH + "/state/" + applicationId);
        assertThat(owner.getStdout().trim()).isEqualTo("10001");
    }

    @Test
    @Order(5)
    void imageHealthcheckReportsHealthy() {
        // The Dockerfile's HEALTHCHECK (bash over /dev/tcp, no curl in the image) runs every 15 s.
        Await.until("docker health status healthy", Duration.ofSeconds(90), () -> "healthy".equals(app.healthStatus()));
    }

    @Test
    @Order(6)
    void stopsCleanlyOnSigterm() {
        long exitCode = app.stopWithSigterm(Duration.ofSeconds(60));
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hook and exited; 137 would mean docker had
        // to SIGKILL it after the grace period.
        assertThat(exitCode).isEqualTo(143);
        assertThat(app.logs()).contains("intent-stream stopped");
    }

    @Test
    @Order(7)
    void stateSurvivesARestartOnTheSameVolume() {
        // RocksDB flushed its tables to the volume on the clean stop. (Observed with Kafka Streams
        // 4.3 under exactly_once_v2: the task directories hold no .checkpoint file after the stop.)
        String onVolume = listVolume();
        assertThat(onVolume).as("the stopped app's state on the volume").contains("/rocksdb/").containsPattern("\\.sst\\b");
        restarted = startApp();
        // The sequence kept in the store continues: one more event makes it EVENTS + 1 long.
        produceSession(1);
        Await.until(USER + "'s sequence continued after the restart", Duration.ofSeconds(90), () -> {
            HttpResponse<String> r = Http.get(restarted.baseUrl() + "/users/" + USER + "/intent");
            return r.statusCode() == 200 && r.body().contains("\"sequence_length\":" + (EVENTS + 1));
        });
    }

    /** Lists the volume with the app image but another command, while no app container runs. */
    private String listVolume() {
        try (GenericContainer<?> lister = new GenericContainer<>(DockerImageName.parse(images.app()))
                .withImagePullPolicy(name -> false)
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint("find");
                    cmd.getHostConfig().withBinds(com.github.dockerjava.api.model.Bind.parse(volume + ":" + AppContainer.STATE_VOLUME_PATH));
                })
                .withCommand(AppContainer.STATE_VOLUME_PATH + "/state/" + applicationId, "-maxdepth", "4")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            lister.start();
            return lister.getLogs();
        }
    }

    private void produceSession(int extra) {
        try (ShopEventProducer producer = new ShopEventProducer(kafka.bootstrapServers(), kafka.registryUrl())) {
            var events = ShopTraffic.session(USER, EVENTS + 1, 42);
            for (ShopEvent e : extra == 0 ? events.subList(0, EVENTS) : events.subList(EVENTS, EVENTS + 1)) {
                producer.send(e);
            }
            producer.flush();
            assertThat(producer.failures()).isZero();
        }
    }
}
