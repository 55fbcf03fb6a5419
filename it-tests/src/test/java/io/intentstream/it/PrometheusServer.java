package io.intentstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} binary (installed by infra/ci/tools.sh) run with the repository's
 * {@code infra/prometheus/prometheus.yml}, changed only where it must be: the app job's target,
 * Prometheus' own target and the rule-file paths (the file names the compose mounts under
 * /etc/prometheus/ resolve to infra/prometheus/). Listens on a free loopback port.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final Path dir;

    PrometheusServer(Path infraDir, String appTarget) throws IOException {
        dir = Files.createTempDirectory("it-prometheus");
        int port = Ports.free();
        url = "http://127.0.0.1:" + port;
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, adaptedConfig(infraDir, appTarget, "127.0.0.1:" + port));
        process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Await.until("prometheus ready on " + url, Duration.ofSeconds(30), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + log());
            }
            return Http.status(url + "/-/ready") == 200;
        });
        // Host ports are shared: make sure this is the server we configured (our app's random port).
        if (!Http.get(url + "/api/v1/status/config").body().contains(appTarget)) {
            throw new IllegalStateException(url + " is another Prometheus (its config does not scrape " + appTarget + ")");
        }
    }

    static String adaptedConfig(Path infraDir, String appTarget, String selfTarget) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(infraDir.resolve("prometheus/prometheus.yml").toFile());
        ArrayNode rules = yaml.createArrayNode();
        for (JsonNode file : root.path("rule_files")) {
            rules.add(infraDir.resolve("prometheus").resolve(Path.of(file.asText()).getFileName()).toAbsolutePath().toString());
        }
        root.set("rule_files", rules);
        for (JsonNode job : root.path("scrape_configs")) {
            String target = job.path("job_name").asText().equals("prometheus") ? selfTarget : appTarget;
            for (JsonNode sc : job.path("static_configs")) {
                ((ObjectNode) sc).set("targets", yaml.createArrayNode().add(target));
            }
        }
        return yaml.writeValueAsString(root);
    }

    String url() {
        return url;
    }

    /** An instant query; fails unless Prometheus answers {@code success}. Returns {@code data}. */
    JsonNode query(String promql) {
        HttpResponse<String> r = Http.get(url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = parse(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("query failed (" + r.statusCode() + "): " + promql + " -> " + r.body());
        }
        return body.path("data");
    }

    JsonNode rules() {
        return parse(Http.get(url + "/api/v1/rules").body()).path("data");
    }

    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
