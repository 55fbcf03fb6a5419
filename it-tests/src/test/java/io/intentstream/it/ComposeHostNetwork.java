package io.intentstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves the compose stack onto the host's network, listening on 127.0.0.1 only: test traffic on
 * this machine must stay on loopback (no container bridge with private addresses). Every service
 * gets a free port of its own, so nothing collides with other users of the host, and the
 * addresses the file gives by service name ({@code kafka:9092}, {@code schema-registry:8081},
 * {@code intent-stream:8080}) are rewritten to those ports. Nothing else of the file changes.
 */
record ComposeHostNetwork(int kafka, int controller, int registry, int app, int prometheus) {
    static ComposeHostNetwork freePorts() {
        return new ComposeHostNetwork(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free());
    }

    String appUrl() {
        return "http://127.0.0.1:" + app;
    }

    String prometheusUrl() {
        return "http://127.0.0.1:" + prometheus;
    }

    /** Rewrites {@code services} in place; the Prometheus config goes to {@code dir} (targets by port). */
    void apply(ObjectNode services, Path prometheusYml, Path dir) throws IOException {
        services.properties().forEach(e -> {
            ObjectNode s = (ObjectNode) e.getValue();
            s.remove("hostname");
            s.put("network_mode", "host");
        });
        ObjectNode k = (ObjectNode) services.path("kafka");
        ObjectNode env = (ObjectNode) k.path("environment");
        env.put("KAFKA_LISTENERS", "PLAINTEXT://127.0.0.1:" + kafka + ",CONTROLLER://127.0.0.1:" + controller);
        env.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + kafka);
        env.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + controller);
        replaceInText(k.path("healthcheck"), "localhost:9092", "127.0.0.1:" + kafka);
        replaceInText(services.path("kafka-init-topics"), "kafka:9092", "127.0.0.1:" + kafka);

        ObjectNode appEnv = (ObjectNode) services.path("intent-stream").path("environment");
        appEnv.put("INTENTSTREAM_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafka);
        appEnv.put("INTENTSTREAM_REGISTRY_SCHEMA_REGISTRY_URL", "http://127.0.0.1:" + registry);
        appEnv.put("INTENTSTREAM_STREAMS_APPLICATION_SERVER", "127.0.0.1:" + app);
        appEnv.put("INTENTSTREAM_HTTP_BIND", "127.0.0.1");
        appEnv.put("INTENTSTREAM_HTTP_PORT", String.valueOf(app));
        replaceInText(services.path("intent-stream").path("healthcheck"), "/127.0.0.1/8080", "/127.0.0.1/" + app);

        ObjectNode reg = (ObjectNode) services.path("schema-registry");
        replaceInText(reg, "0.0.0.0", "127.0.0.1");
        replaceInText(reg, "8081", String.valueOf(registry));

        ObjectNode prom = (ObjectNode) services.path("prometheus");
        ((ArrayNode) prom.withArray("command")).add("--web.listen-address=127.0.0.1:" + prometheus);
        replaceInText(prom.path("healthcheck"), "9090", String.valueOf(prometheus));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, Files.readString(prometheusYml)
                .replace("intent-stream:8080", "127.0.0.1:" + app).replace("localhost:9090", "127.0.0.1:" + prometheus));
        ArrayNode volumes = (ArrayNode) prom.withArray("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i).asText().endsWith(":/etc/prometheus/prometheus.yml:ro")) {
                volumes.set(i, TextNode.valueOf(config + ":/etc/prometheus/prometheus.yml:ro"));
            }
        }
    }

    /** Replaces {@code from} in every string value below {@code node} (commands, health checks). */
    private static void replaceInText(JsonNode node, String from, String to) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(e.getValue().asText().replace(from, to)));
                } else {
                    replaceInText(e.getValue(), from, to);
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(a.get(i).asText().replace(from, to)));
                } else {
                    replaceInText(a.get(i), from, to);
                }
            }
        }
    }
}
