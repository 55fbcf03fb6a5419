package io.intentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {
    private static final Schema A = SchemaBuilder.record("A").fields().requiredString("x").endRecord();
    private static final Schema A2 = SchemaBuilder.record("A").fields().requiredString("x").optionalInt("y").endRecord();
    private static final Schema B = SchemaBuilder.record("B").fields().requiredLong("z").endRecord();

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope("one");
        MockSchemaRegistry.dropScope("two");
    }

    private static SchemaRegistryClient client(String url) {
        return SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, url));
    }

    @Test
    void clientsOfTheSameScopeShareOneRegistry() {
        int id = client("mock://one").register("s", A);
        assertThat(client("mock://one").getId("s", A)).isEqualTo(id);
        assertThat(client("mock://one").getSchemaById(id)).isEqualTo(A);
    }

    @Test
    void scopesAreIsolatedAndDroppingAScopeForgetsIt() {
        client("mock://one").register("s", A);
        assertThatThrownBy(() -> client("mock://two").getId("s", A)).isInstanceOf(SubjectNotFoundException.class);
        MockSchemaRegistry.dropScope("one");
        assertThat(client("mock://one").subjects()).isEmpty();
    }

    @Test
    void idsAreGlobalAndVersionsPerSubject() {
        SchemaRegistryClient client = client("mock://one");
        int a = client.register("s1", A);
        int b = client.register("s2", B);
        int a2 = client.register("s1", A2);
        assertThat(client.register("s3", A)).isEqualTo(a);
        assertThat(a).isNotEqualTo(b).isNotEqualTo(a2);
        assertThat(client.versions("s1")).containsExactly(1, 2);
        assertThat(client.getLatest("s1")).isEqualTo(new RegisteredSchema("s1", a2, 2, A2));
        assertThat(client.getVersion("s3", 1).id()).isEqualTo(a);
    }

    @Test
    void rejectsBackwardIncompatibleSchemasByDefault() {
        SchemaRegistryClient client = client("mock://one");
        client.register("s", A);
        assertThat(client.isCompatible("s", B)).isFalse();
        assertThatThrownBy(() -> client.register("s", B)).isInstanceOf(IncompatibleSchemaException.class);
        client.setCompatibility("s", "NONE");
        assertThat(client.register("s", B)).isPositive();
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        SchemaRegistryClient client = client("mock://one");
        Schema v1 = SchemaBuilder.record("T").fields().requiredString("a").endRecord();
        Schema v2 = SchemaBuilder.record("T").fields().optionalString("b").endRecord();
        // v3 makes b required again: readable from v2 data (b always present), not from v1 data.
        Schema v3 = SchemaBuilder.record("T").fields().requiredString("b").endRecord();
        client.setCompatibility("t", "BACKWARD_TRANSITIVE");
        client.register("t", v1);
        client.register("t", v2);
        assertThat(client.isCompatible("t", v3)).isFalse();
        client.setCompatibility("t", "BACKWARD");
        assertThat(client.isCompatible("t", v3)).isFalse(); // string vs union: also not backward to v2
        assertThat(client.getCompatibility("t")).isEqualTo("BACKWARD");
        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
    }

    @Test
    void unknownIdsAndSubjectsRaiseTypedExceptions() {
        SchemaRegistryClient client = client("mock://one");
        assertThatThrownBy(() -> client.getSchemaById(77)).isInstanceOf(UnknownSchemaIdException.class);
        assertThatThrownBy(() -> client.getLatest("nope")).isInstanceOf(SubjectNotFoundException.class);
    }
}
