package io.intentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.registry.ScriptedHttpServer.Reply;
import io.intentstream.registry.server.SchemaRegistryServer;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {
    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").optionalString("note").endRecord();
    /** Adds a required field without a default: not BACKWARD compatible with V1. */
    private static final Schema BREAKING = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("id").requiredInt("size").endRecord();
    private static final String SCHEMA_BODY = "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(V1.toString()) + "}";

    private final SchemaRegistryServer server = SchemaRegistryServer.inMemory().start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static RestSchemaRegistryClient client(String urls, Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, urls);
        config.put(RegistryClientConfig.BACKOFF_MS, 10);
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return new RestSchemaRegistryClient(config);
    }

    @Test
    void registersLooksUpAndFetchesAgainstARealServer() {
        RestSchemaRegistryClient client = client(server.url());
        int id = client.register("things-value", V1);
        assertThat(client.register("things-value", V1)).isEqualTo(id);
        assertThat(client(server.url()).getId("things-value", V1)).isEqualTo(id);
        assertThat(client(server.url()).getSchemaById(id)).isEqualTo(V1);
        int id2 = client.register("things-value", V2);
        assertThat(id2).isNotEqualTo(id);
        RegisteredSchema latest = client.getLatest("things-value");
        assertThat(latest).isEqualTo(new RegisteredSchema("things-value", id2, 2, V2));
        assertThat(client.getVersion("things-value", 1).id()).isEqualTo(id);
        assertThat(client.versions("things-value")).containsExactly(1, 2);
        assertThat(client.subjects()).containsExactly("things-value");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectKeepsItsGlobalId() {
        RestSchemaRegistryClient client = client(server.url());
        assertThat(client.register("a-value", V1)).isEqualTo(client.register("b-value", V1));
    }

    @Test
    void subjectNamesWithSpecialCharactersAreEncoded() {
        RestSchemaRegistryClient client = client(server.url());
        int id = client.register("odd subject/with:chars", V1);
        assertThat(client(server.url()).getId("odd subject/with:chars", V1)).isEqualTo(id);
        assertThat(client.subjects()).containsExactly("odd subject/with:chars");
    }

    @Test
    void compatibilityDefaultsToBackwardAndCanBeChangedPerSubjectAndGlobally() {
        RestSchemaRegistryClient client = client(server.url());
        client.register("things-value", V1);
        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
        assertThat(client.isCompatible("things-value", V2)).isTrue();
        assertThat(client.isCompatible("things-value", BREAKING)).isFalse();
        assertThat(client.isCompatible("new-subject", BREAKING)).isTrue();
        client.setCompatibility("things-value", "NONE");
        assertThat(client.getCompatibility("things-value")).isEqualTo("NONE");
        assertThat(client.isCompatible("things-value", BREAKING)).isTrue();
        client.setCompatibility(null, "FULL_TRANSITIVE");
        assertThat(client.getCompatibility(null)).isEqualTo("FULL_TRANSITIVE");
        assertThat(client.getCompatibility("other")).isEqualTo("FULL_TRANSITIVE");
    }

    @Test
    void mapsRegistryErrorsToTypedExceptions() {
        RestSchemaRegistryClient client = client(server.url());
        client.register("things-value", V1);
        assertThatThrownBy(() -> client.getSchemaById(4242))
                .isInstanceOf(UnknownSchemaIdException.class)
                .satisfies(e -> assertThat(((RegistryException) e).errorCode()).isEqualTo(40403))
                .satisfies(e -> assertThat(((RegistryException) e).httpStatus()).isEqualTo(404));
        assertThatThrownBy(() -> client.getLatest("missing-value"))
                .isInstanceOf(SubjectNotFoundException.class)
                .satisfies(e -> assertThat(((RegistryException) e).errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.getId("things-value", V2))
                .isInstanceOf(SchemaNotFoundException.class)
                .isNotInstanceOf(UnknownSchemaIdException.class);
        assertThatThrownBy(() -> client.register("things-value", BREAKING))
                .isInstanceOf(IncompatibleSchemaException.class)
                .satisfies(e -> assertThat(((RegistryException) e).httpStatus()).isEqualTo(409));
        assertThatThrownBy(() -> client.getVersion("things-value", 7))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> client.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).errorCode()).isEqualTo(42203));
    }

    @Test
    void cachesIdsSoASecondLookupMakesNoHttpCall() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(200, "{\"id\":7}"),
                new Reply(200, SCHEMA_BODY))) {
            RestSchemaRegistryClient client = client(fake.url());
            assertThat(client.getId("s", V1)).isEqualTo(7);
            assertThat(client.getId("s", V1)).isEqualTo(7);
            assertThat(client.register("s", V1)).isEqualTo(7);
            // The id of a looked-up schema is known too: no GET /schemas/ids/7.
            assertThat(client.getSchemaById(7)).isEqualTo(V1);
            assertThat(fake.received).hasSize(1);
            assertThat(client.getSchemaById(8)).isEqualTo(V1);
            assertThat(client.getSchemaById(8)).isEqualTo(V1);
            assertThat(fake.received).hasSize(2);
        }
    }

    @Test
    void cachedIdsStillResolveWhenTheRegistryIsDown() {
        RestSchemaRegistryClient client = client(server.url(), RegistryClientConfig.RETRIES, 0);
        int id = client.register("things-value", V1);
        server.close();
        assertThat(client.getSchemaById(id)).isEqualTo(V1);
        assertThat(client.getId("things-value", V1)).isEqualTo(id);
    }

    @Test
    void theCacheIsBounded() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(200, SCHEMA_BODY))) {
            RestSchemaRegistryClient client = client(fake.url(), RegistryClientConfig.CACHE_CAPACITY, 2);
            client.getSchemaById(1);
            client.getSchemaById(2);
            client.getSchemaById(3);
            client.getSchemaById(1); // evicted by 3: fetched again
            assertThat(fake.received).hasSize(4);
        }
    }

    @Test
    void retriesServerErrorsWithExponentialBackoff() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(
                new Reply(503, "{\"error_code\":50301,\"message\":\"busy\"}"),
                new Reply(500, "{\"error_code\":50001,\"message\":\"store\"}"),
                new Reply(200, "{\"id\":3}"))) {
            RestSchemaRegistryClient client = client(fake.url(), RegistryClientConfig.RETRIES, 3,
                    RegistryClientConfig.BACKOFF_MS, 40);
            assertThat(client.register("s", V1)).isEqualTo(3);
            assertThat(fake.received).hasSize(3);
            long firstGap = fake.received.get(1).atNanos() - fake.received.get(0).atNanos();
            long secondGap = fake.received.get(2).atNanos() - fake.received.get(1).atNanos();
            assertThat(firstGap).isGreaterThanOrEqualTo(40_000_000L);
            assertThat(secondGap).isGreaterThanOrEqualTo(80_000_000L);
        }
    }

    @Test
    void givesUpAfterTheConfiguredRetriesWithRegistryUnavailable() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(503, "{\"error_code\":50301,\"message\":\"busy\"}"))) {
            RestSchemaRegistryClient client = client(fake.url(), RegistryClientConfig.RETRIES, 2);
            assertThatThrownBy(() -> client.getSchemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("busy")
                    .satisfies(e -> assertThat(((RegistryException) e).httpStatus()).isEqualTo(503));
            assertThat(fake.received).hasSize(3);
        }
    }

    @Test
    void retriesConnectionErrorsWithBackoffThenReportsTheRegistryUnavailable() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = client("http://127.0.0.1:" + deadPort, RegistryClientConfig.RETRIES, 2,
                RegistryClientConfig.BACKOFF_MS, 50);
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.getSchemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort);
        // Two backoffs: 50 ms, then 100 ms.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(150_000_000L);
    }

    @Test
    void neverRetriesClientErrors() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(404, "{\"error_code\":40401,\"message\":\"Subject 's' not found.\"}"))) {
            RestSchemaRegistryClient client = client(fake.url(), RegistryClientConfig.RETRIES, 5);
            assertThatThrownBy(() -> client.getLatest("s")).isInstanceOf(SubjectNotFoundException.class);
            assertThat(fake.received).hasSize(1);
        }
    }

    @Test
    void aNonJsonErrorBodyStillGivesATypedException() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(403, "<html>Forbidden</html>"))) {
            assertThatThrownBy(() -> client(fake.url()).subjects())
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Forbidden")
                    .satisfies(e -> assertThat(((RegistryException) e).httpStatus()).isEqualTo(403));
        }
    }

    @Test
    void failsOverToTheNextUrlOnConnectionErrors() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = client("http://127.0.0.1:" + deadPort + ", " + server.url(),
                RegistryClientConfig.RETRIES, 0);
        int id = client.register("things-value", V1);
        assertThat(client.getVersion("things-value", 1).id()).isEqualTo(id);
    }

    @Test
    void sendsBasicAuthFromUserInfoAndTheConfluentContentType() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(200, "{\"id\":1}"))) {
            client(fake.url(), RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO",
                    RegistryClientConfig.USER_INFO, "alice:s3cr:et").register("s", V1);
            ScriptedHttpServer.Received request = fake.received.get(0);
            assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes()));
            assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/subjects/s/versions");
        }
    }

    @Test
    void takesBasicAuthCredentialsFromTheUrlAndKeepsThemOutOfTheRequestLine() {
        try (ScriptedHttpServer fake = new ScriptedHttpServer(new Reply(200, "[]"))) {
            String url = fake.url().replace("http://", "http://bob:pw@");
            client(url, RegistryClientConfig.CREDENTIALS_SOURCE, "URL").subjects();
            assertThat(fake.received.get(0).authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes()));
            assertThat(fake.received.get(0).path()).isEqualTo("/subjects");
        }
    }

    @Test
    void aServerRequiringBasicAuthAcceptsTheRightCredentialsOnly() {
        try (SchemaRegistryServer secured = SchemaRegistryServer.builder().basicAuth("alice:pw").build().start()) {
            RestSchemaRegistryClient good = client(secured.url(), RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO",
                    RegistryClientConfig.USER_INFO, "alice:pw");
            assertThat(good.register("s", V1)).isPositive();
            RestSchemaRegistryClient bad = client(secured.url(), RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO",
                    RegistryClientConfig.USER_INFO, "alice:wrong");
            assertThatThrownBy(bad::subjects).isInstanceOf(RegistryException.class)
                    .satisfies(e -> assertThat(((RegistryException) e).httpStatus()).isEqualTo(401));
            assertThatThrownBy(client(secured.url())::subjects).isInstanceOf(RegistryException.class);
        }
    }

    @Test
    void clientsFactoryPicksMockForMockUrlsAndRestOtherwise() {
        assertThat(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "mock://factory")))
                .isSameAs(MockSchemaRegistry.forScope("factory"));
        assertThat(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, server.url())))
                .isInstanceOf(RestSchemaRegistryClient.class);
        MockSchemaRegistry.dropScope("factory");
    }
}
