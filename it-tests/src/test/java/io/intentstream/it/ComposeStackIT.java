package io.intentstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.intentstream.it.infra.MonitoringContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack brought up with Debian's docker-compose: the repository's file with local
 * stand-ins for the images no registry can deliver here (see infra/README.md), on the host's
 * network on 127.0.0.1 with free ports ({@link ComposeHostNetwork}: test traffic stays on
 * loopback, no container bridge), published ports dropped and Grafana left out (no package
 * provides it). Everything else is the file as written: environment, mounts, health checks,
 * start order, topic job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(420)
class ComposeStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built by the demo module before it-tests; relative to infra/compose/ like the file's own mounts. */
    private static final String DEMO_JAR = "../../demo/target/intent-stream-demo.jar";
    private final Path composeDir = MonitoringContract.locateInfraDir().resolve("compose");
    private final String project = "intent-stream-it-" + UUID.randomUUID().toString().substring(0, 8);
    private Path variant;
    private final ComposeHostNetwork net = ComposeHostNetwork.freePorts();

    @BeforeAll
    void up() throws Exception {
        variant = Files.createTempDirectory("compose-it").resolve("docker-compose.ci.yml");
        Files.writeString(variant, withStandIns(CiImages.load()));
        Result r = compose("up", "-d", "--no-build");
        assertThat(r.exit).as("docker-compose up (its stderr is in the test output)").isZero();
    }

    /** The repository's compose file with the substitutions the class comment lists, and nothing else. */
    String withStandIns(CiImages images) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(composeDir.resolve("docker-compose.yml").toFile());
        ObjectNode services = (ObjectNode) root.path("services");
        services.remove("grafana");
        services.properties().forEach(e -> ((ObjectNode) e.getValue()).remove("ports"));
        ((ObjectNode) services.path("kafka")).put("image", images.kafka());
        ((ObjectNode) services.path("kafka-init-topics")).put("image", images.kafka());
        ObjectNode app = (ObjectNode) services.path("intent-stream");
        app.remove("build");
        app.put("image", images.app());
        // The project's own registry server (Confluent's REST API) stands in for cp-schema-registry:
        // the demo jar, which bundles it (the lean production jar does not), on the JRE base image.
        ObjectNode registry = (ObjectNode) services.path("schema-registry");
        registry.put("image", images.base());
        ((ArrayNode) registry.withArray("volumes")).add(DEMO_JAR + ":/opt/registry/registry.jar:ro");
        registry.set("entrypoint", array(yaml, "java", "-cp", "/opt/registry/registry.jar", "io.intentstream.registry.server.SchemaRegistryServer"));
        registry.set("command", array(yaml, "--host", "0.0.0.0", "--port", "8081", "--data", "/tmp/registry.json"));
        registry.set("healthcheck", httpCheck(yaml, registry.path("healthcheck"), 8081, "/subjects"));
        // Debian's prometheus binary (static apart from libc) on the local base image.
        ObjectNode prometheus = (ObjectNode) services.path("prometheus");
        prometheus.put("image", images.base());
        prometheus.set("entrypoint", array(yaml, "/bin/prometheus"));
        ((ArrayNode) prometheus.withArray("volumes")).add("/usr/bin/prometheus:/bin/prometheus:ro");
        prometheus.set("healthcheck", httpCheck(yaml, prometheus.path("healthcheck"), 9090, "/-/ready"));
        ((ObjectNode) root.path("volumes")).remove("grafana-data");
        net.apply(services, composeDir.resolve("../prometheus/prometheus.yml").normalize(), variant.getParent());
        return yaml.writeValueAsString(root);
    }

    /** The service's health check timing, probing with bash alone (the stand-ins have no curl or wget). */
    private static ObjectNode httpCheck(YAMLMapper yaml, JsonNode original, int port, String path) {
        ObjectNode check = original.deepCopy();
        check.set("test", array(yaml, "CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET " + path + " HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200'"));
        return check;
    }

    private static ArrayNode array(YAMLMapper yaml, String... values) {
        ArrayNode a = yaml.createArrayNode();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }

    @AfterAll
    void down() throws Exception {
        if (variant != null) {
            Result r = compose("down", "-v", "--timeout", "30");
            assertThat(r.exit).as("docker-compose down (its stderr is in the test output)").isZero();
        }
    }

    @Test
    void appBecomesReadyBehindKafkaTopicsAndRegistry() throws Exception {
        String app = net.appUrl();
        Await.until("the compose app ready at " + app, Duration.ofSeconds(240), () -> Http.status(app + "/health/ready") == 200);
        // The one-shot topic job ran to completion before the app started.
        Result topics = compose("ps", "kafka-init-topics");
        assertThat(topics.output).contains("Exit 0");
        assertThat(Http.get(app + "/metrics").body()).contains("intentstream_model_loaded 1.0");
    }

    @Test
    void prometheusInTheStackScrapesTheApp() throws Exception {
        String prometheus = net.prometheusUrl();
        Await.until("the stack's Prometheus to scrape intent-stream", Duration.ofSeconds(240), () -> {
            JsonNode targets;
            try {
                targets = JSON.readTree(Http.get(prometheus + "/api/v1/targets").body()).path("data").path("activeTargets");
            } catch (IOException e) {
                return false;
            }
            for (JsonNode t : targets) {
                if ("intent-stream".equals(t.path("labels").path("job").asText()) && "up".equals(t.path("health").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    private record Result(int exit, String output) {}

    private Result compose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project, "-f", variant.toString(),
                "--project-directory", composeDir.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        // stderr goes to the test's output file: compose writes progress and warnings there, and
        // `ps -q` must yield the container id alone.
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), out);
    }
}
