package io.intentstream.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentstream.registry.RegistryClientConfig;
import io.intentstream.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST surface as Confluent's clients see it: paths, status codes and JSON bodies. */
class SchemaRegistryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").optionalString("note").endRecord();

    private final HttpClient http = HttpClient.newHttpClient();
    private SchemaRegistryServer server = SchemaRegistryServer.inMemory().start();

    @AfterEach
    void stop() {
        server.close();
    }

    private record Response(int status, JsonNode body) {}

    private Response call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
        return new Response(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String schemaBody(Schema schema) throws IOException {
        return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    }

    @Test
    void bindsLoopbackOnAnEphemeralPort() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        assertThat(server.port()).isPositive();
    }

    @Test
    void registeringTheSameSchemaTwiceReturnsTheSameIdAndVersion() throws Exception {
        Response first = call("POST", "/subjects/s-value/versions", schemaBody(V1));
        // Same schema, different whitespace and key order: still the same schema.
        String reformatted = "{\"schema\": \"{ \\\"name\\\": \\\"Thing\\\", \\\"namespace\\\": \\\"t\\\", \\\"type\\\": \\\"record\\\", "
                + "\\\"fields\\\": [ {\\\"type\\\": \\\"string\\\", \\\"name\\\": \\\"id\\\"} ] }\", \"schemaType\": \"AVRO\"}";
        Response second = call("POST", "/subjects/s-value/versions", reformatted);
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.body().path("id")).isEqualTo(first.body().path("id"));
        assertThat(call("GET", "/subjects/s-value/versions", null).body()).hasSize(1);
    }

    @Test
    void servesSchemasByIdSubjectsVersionsAndLatest() throws Exception {
        int id1 = call("POST", "/subjects/s-value/versions", schemaBody(V1)).body().path("id").asInt();
        int id2 = call("POST", "/subjects/s-value/versions?normalize=false", schemaBody(V2)).body().path("id").asInt();

        assertThat(new Schema.Parser().parse(call("GET", "/schemas/ids/" + id1 + "?subject=s-value", null).body().path("schema").asText())).isEqualTo(V1);
        assertThat(new Schema.Parser().parse(call("GET", "/schemas/ids/" + id2 + "/schema", null).body().toString())).isEqualTo(V2);
        assertThat(call("GET", "/subjects", null).body().toString()).isEqualTo("[\"s-value\"]");
        assertThat(call("GET", "/subjects/s-value/versions", null).body().toString()).isEqualTo("[1,2]");
        JsonNode latest = call("GET", "/subjects/s-value/versions/latest", null).body();
        assertThat(latest.path("subject").asText()).isEqualTo("s-value");
        assertThat(latest.path("version").asInt()).isEqualTo(2);
        assertThat(latest.path("id").asInt()).isEqualTo(id2);
        assertThat(call("GET", "/subjects/s-value/versions/1", null).body().path("id").asInt()).isEqualTo(id1);
        JsonNode lookup = call("POST", "/subjects/s-value", schemaBody(V1)).body();
        assertThat(lookup.path("id").asInt()).isEqualTo(id1);
        assertThat(lookup.path("version").asInt()).isEqualTo(1);
    }

    @Test
    void answersWithConfluentErrorCodes() throws Exception {
        call("POST", "/subjects/s-value/versions", schemaBody(V1));
        assertError(call("GET", "/schemas/ids/99", null), 404, 40403);
        assertError(call("GET", "/subjects/nope/versions/latest", null), 404, 40401);
        assertError(call("GET", "/subjects/s-value/versions/9", null), 404, 40402);
        assertError(call("GET", "/subjects/s-value/versions/zero", null), 422, 42202);
        assertError(call("POST", "/subjects/s-value", schemaBody(V2)), 404, 40403);
        assertError(call("POST", "/subjects/s-value/versions", "{\"schema\":\"{not avro\"}"), 422, 42201);
        assertError(call("POST", "/subjects/p-value/versions", "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201);
        assertError(call("PUT", "/config", "{\"compatibility\":\"MOSTLY\"}"), 422, 42203);
        Response incompatible = call("POST", "/subjects/s-value/versions",
                schemaBody(SchemaBuilder.record("Thing").namespace("t").fields().requiredString("id").requiredLong("n").endRecord()));
        assertError(incompatible, 409, 409);
        assertThat(incompatible.body().path("message").asText()).contains("incompatible");
        assertError(call("GET", "/no/such/path", null), 404, 404);
    }

    private static void assertError(Response response, int status, int code) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.body().path("error_code").asInt()).isEqualTo(code);
        assertThat(response.body().path("message").asText()).isNotBlank();
    }

    @Test
    void checksCompatibilityAgainstLatestOrAVersion() throws Exception {
        call("POST", "/subjects/s-value/versions", schemaBody(V1));
        assertThat(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody(V2)).body().path("is_compatible").asBoolean()).isTrue();
        Schema breaking = SchemaBuilder.record("Thing").namespace("t").fields().requiredInt("id").endRecord();
        assertThat(call("POST", "/compatibility/subjects/s-value/versions/1", schemaBody(breaking)).body().path("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void forwardAndFullLevelsCheckTheOtherDirection() throws Exception {
        call("PUT", "/config/s-value", "{\"compatibility\":\"FORWARD\"}");
        call("POST", "/subjects/s-value/versions", schemaBody(V2));
        // Dropping the optional field is FORWARD compatible (old readers fill the default)...
        assertThat(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody(V1)).body().path("is_compatible").asBoolean()).isTrue();
        Schema extraRequired = SchemaBuilder.record("Thing").namespace("t").fields()
                .requiredString("id").optionalString("note").requiredInt("n").endRecord();
        // ...and adding a required field is FORWARD compatible but not FULL.
        assertThat(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody(extraRequired)).body().path("is_compatible").asBoolean()).isTrue();
        assertThat(call("PUT", "/config/s-value", "{\"compatibility\":\"FULL\"}").body().path("compatibility").asText()).isEqualTo("FULL");
        assertThat(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody(extraRequired)).body().path("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void configDefaultsToBackwardGloballyAndPerSubject() throws Exception {
        assertThat(call("GET", "/config", null).body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(call("PUT", "/config", "{\"compatibility\":\"NONE\"}").body().path("compatibility").asText()).isEqualTo("NONE");
        assertThat(call("GET", "/config/any-subject", null).body().path("compatibilityLevel").asText()).isEqualTo("NONE");
        call("PUT", "/config/s-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        assertThat(call("GET", "/config/s-value", null).body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD_TRANSITIVE");
    }

    @Test
    void softDeletedSubjectsDisappearButTheirIdsStillResolve() throws Exception {
        int id = call("POST", "/subjects/s-value/versions", schemaBody(V1)).body().path("id").asInt();
        assertThat(call("DELETE", "/subjects/s-value", null).body().toString()).isEqualTo("[1]");
        assertThat(call("GET", "/subjects", null).body()).isEmpty();
        assertThat(call("GET", "/subjects/s-value/versions", null).status()).isEqualTo(404);
        assertThat(call("GET", "/schemas/ids/" + id, null).status()).isEqualTo(200);
        JsonNode again = call("POST", "/subjects/s-value/versions", schemaBody(V1)).body();
        assertThat(again.path("id").asInt()).isEqualTo(id);
        assertThat(again.path("version").asInt()).isEqualTo(2);
    }

    @Test
    void persistsToAJsonFileAndReloadsOnRestart(@TempDir Path dir) {
        Path file = dir.resolve("registry.json");
        server.close();
        server = SchemaRegistryServer.builder().dataFile(file).build().start();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of(RegistryClientConfig.URL, server.url()));
        int id1 = client.register("s-value", V1);
        int id2 = client.register("s-value", V2);
        client.setCompatibility("s-value", "FULL");
        assertThat(file).exists();
        assertThat(dir.toFile().list()).containsExactly("registry.json"); // no temp files left behind
        server.close();

        server = SchemaRegistryServer.builder().dataFile(file).build().start();
        RestSchemaRegistryClient reborn = new RestSchemaRegistryClient(Map.of(RegistryClientConfig.URL, server.url()));
        assertThat(reborn.getSchemaById(id1)).isEqualTo(V1);
        assertThat(reborn.getLatest("s-value").id()).isEqualTo(id2);
        assertThat(reborn.getCompatibility("s-value")).isEqualTo("FULL");
        Schema v3 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("id")
                .optionalString("note").optionalString("more").endRecord();
        assertThat(reborn.register("s-value", v3)).isGreaterThan(id2);
    }

    @Test
    void canServeAMockScopesStoreOverHttp() {
        var mock = io.intentstream.registry.MockSchemaRegistry.forScope("served");
        try (SchemaRegistryServer shared = SchemaRegistryServer.builder().store(mock.store()).build().start()) {
            int id = mock.register("s-value", V1);
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of(RegistryClientConfig.URL, shared.url()));
            assertThat(client.getId("s-value", V1)).isEqualTo(id);
        } finally {
            io.intentstream.registry.MockSchemaRegistry.dropScope("served");
        }
    }

    @Test
    void fileWithUnreadableContentFailsLoudly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("registry.json");
        Files.writeString(file, "not json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaRegistryServer.builder().dataFile(file).build().start())
                .isInstanceOf(RuntimeException.class);
    }
}
