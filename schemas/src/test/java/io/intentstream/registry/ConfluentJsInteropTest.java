package io.intentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentstream.registry.ContractSamples.Sample;
import io.intentstream.registry.serde.AvroSerdeConfig;
import io.intentstream.registry.serde.KafkaAvroSerializer;
import io.intentstream.registry.serde.SpecificAvroSerde;
import io.intentstream.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of compatibility with Confluent's own client ({@code @confluentinc/schemaregistry}, pinned
 * in src/test/js/package.json, installed by {@code npm ci} in generate-test-resources): for every
 * schema of the contract, against our {@link SchemaRegistryServer},
 * <ol>
 *   <li>bytes written by Confluent's AvroSerializer decode with our deserializer to the expected
 *       generated record (and are byte-identical to ours);</li>
 *   <li>bytes written by our serializer decode with Confluent's AvroDeserializer to the same
 *       values, field by field;</li>
 *   <li>Confluent's HTTP SchemaRegistryClient registers, looks up and fetches the schemas and sees
 *       the ids, versions and subjects our Java client sees.</li>
 * </ol>
 * Never skipped: no node/npm means a failing build, by design.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentJsInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JS_DIR = Path.of("src/test/js");
    private static final Path AVSC_DIR = Path.of("src/main/avro");

    private SchemaRegistryServer server;
    private RestSchemaRegistryClient javaClient;
    private final List<byte[]> javaBytes = new ArrayList<>();
    private final List<JsonNode> expectedJson = new ArrayList<>();
    private final List<Integer> javaIds = new ArrayList<>();
    private JsonNode js;

    @BeforeAll
    void runConfluentJsAgainstOurServer(@TempDir Path tmp) throws Exception {
        server = SchemaRegistryServer.inMemory().start();
        javaClient = new RestSchemaRegistryClient(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()));
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()), false);

        ObjectNode plan = JSON.createObjectNode().put("registryUrl", server.url());
        ArrayNode cases = plan.putArray("cases");
        for (Sample sample : ContractSamples.all()) {
            String avsc = Files.readString(AVSC_DIR.resolve(sample.avscFile()));
            // Our serializer registers first (auto.register.schemas), as the stream app would.
            byte[] bytes = serializer.serialize(sample.topic(), sample.value());
            javaBytes.add(bytes);
            javaIds.add(ByteBuffer.wrap(bytes, 1, 4).getInt());
            JsonNode expected = AvroJson.of(sample.value(), new Schema.Parser().parse(avsc));
            expectedJson.add(expected);
            cases.addObject()
                    .put("topic", sample.topic())
                    .put("subject", sample.topic() + "-value")
                    .put("schema", avsc)
                    .put("javaBytes", HexFormat.of().formatHex(bytes))
                    .set("value", expected);
        }
        Path planFile = tmp.resolve("plan.json");
        JSON.writeValue(planFile.toFile(), plan);
        js = JSON.readTree(runNode(planFile, tmp));
    }

    private static String runNode(Path planFile, Path tmp) throws IOException, InterruptedException {
        assertThat(JS_DIR.resolve("node_modules/@confluentinc/schemaregistry"))
                .as("npm ci must have installed the JS client (generate-test-resources)").isDirectory();
        Path out = tmp.resolve("out.json");
        Path err = tmp.resolve("err.txt");
        Process node = new ProcessBuilder("node", "interop.js", planFile.toAbsolutePath().toString())
                .directory(JS_DIR.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean finished = node.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        assertThat(finished).as("node finished in time").isTrue();
        assertThat(node.exitValue()).as("node failed:\n%s", Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void coversEverySchemaOfTheContract() throws IOException {
        try (var files = Files.list(AVSC_DIR)) {
            assertThat(ContractSamples.all()).extracting(Sample::avscFile)
                    .containsExactlyInAnyOrderElementsOf(files.map(p -> p.getFileName().toString()).toList());
        }
        assertThat(js.path("cases")).hasSize(6);
    }

    @Test
    void confluentSerializerBytesDecodeWithOurDeserializerToTheExpectedRecords() {
        for (int i = 0; i < ContractSamples.all().size(); i++) {
            Sample sample = ContractSamples.all().get(i);
            byte[] jsBytes = HexFormat.of().parseHex(js.path("cases").get(i).path("jsBytes").asText());
            @SuppressWarnings("unchecked")
            Class<SpecificRecord> type = (Class<SpecificRecord>) sample.value().getClass();
            try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(type)) {
                serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()), false);
                assertThat(serde.deserializer().deserialize(sample.topic(), jsBytes)).as(sample.avscFile()).isEqualTo(sample.value());
            }
            // Same wire format, same schema id, same Avro encoding: byte for byte.
            assertThat(jsBytes).as(sample.avscFile()).isEqualTo(javaBytes.get(i));
        }
    }

    @Test
    void ourSerializerBytesDecodeWithConfluentDeserializerFieldByField() {
        // Integral doubles print as 1 in JS and 1.0 in Java: compare numbers by value.
        Comparator<JsonNode> sameValue = (a, b) -> a.equals(b)
                || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;
        for (int i = 0; i < expectedJson.size(); i++) {
            JsonNode decoded = js.path("cases").get(i).path("decodedJavaBytes");
            JsonNode expected = expectedJson.get(i);
            String name = ContractSamples.all().get(i).avscFile();
            expected.fieldNames().forEachRemaining(field ->
                    assertThat(expected.get(field).equals(sameValue, decoded.get(field)))
                            .as("%s.%s: expected %s, JS decoded %s", name, field, expected.get(field), decoded.get(field))
                            .isTrue());
            assertThat(decoded.size()).as(name).isEqualTo(expected.size());
        }
    }

    @Test
    void decimalsTravelAsTwosComplementUnscaledBytes() {
        // CartEvent: unit prices 19.99 and -0.50 → unscaled 1999 (0x07cf) and -50 (0xce).
        JsonNode items = js.path("cases").get(2).path("decodedJavaBytes").path("items");
        assertThat(items.get(0).path("unit_price").path("$bytes").asText()).isEqualTo("07cf");
        assertThat(items.get(1).path("unit_price").path("$bytes").asText()).isEqualTo("ce");
        assertThat(items.get(1).path("category_id").isNull()).isTrue();
    }

    @Test
    void confluentHttpClientSeesTheIdsVersionsAndSubjectsOurClientSees() throws IOException {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < ContractSamples.all().size(); i++) {
            Sample sample = ContractSamples.all().get(i);
            JsonNode result = js.path("cases").get(i);
            String subject = sample.topic() + "-value";
            Schema contract = new Schema.Parser().parse(Files.readString(AVSC_DIR.resolve(sample.avscFile())));
            int id = javaIds.get(i);
            assertThat(result.path("subject").asText()).isEqualTo(subject);
            assertThat(result.path("registeredId").asInt()).as("JS register of %s", subject).isEqualTo(id);
            assertThat(result.path("lookupId").asInt()).isEqualTo(id);
            assertThat(result.path("latestId").asInt()).isEqualTo(id);
            assertThat(result.path("latestVersion").asInt()).isEqualTo(1);
            assertThat(result.path("versions").toString()).isEqualTo("[1]");
            assertThat(result.path("compatible").asBoolean()).isTrue();
            assertThat(new Schema.Parser().parse(result.path("schemaById").asText())).isEqualTo(contract);
            assertThat(javaClient.getId(subject, contract)).isEqualTo(id);
            RegisteredSchema latest = javaClient.getLatest(subject);
            assertThat(latest.id()).isEqualTo(id);
            assertThat(latest.version()).isEqualTo(result.path("latestVersion").asInt());
            subjects.add(subject);
        }
        List<String> jsSubjects = new ArrayList<>();
        js.path("subjects").forEach(s -> jsSubjects.add(s.asText()));
        assertThat(jsSubjects).containsExactlyInAnyOrderElementsOf(subjects).containsExactlyElementsOf(javaClient.subjects());
        assertThat(js.path("defaultCompatibility").asText()).isEqualTo(javaClient.getCompatibility(null)).isEqualTo("BACKWARD");
    }
}
