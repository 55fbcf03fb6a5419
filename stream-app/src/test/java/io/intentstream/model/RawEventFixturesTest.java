package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.ingest.TestEvents;
import io.intentstream.sequence.BehaviorSequence;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Java state + feature mapping must derive exactly the model inputs Python derived from the same records. */
class RawEventFixturesTest {

    static Stream<Arguments> fixtures() throws Exception {
        JsonNode root = new ObjectMapper().readTree(TestModels.ARTIFACTS.resolve("raw-event-fixtures.json").toFile());
        List<Arguments> out = new ArrayList<>();
        root.forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void javaDerivesExactlyThePythonModelInputs(String name, JsonNode fixture) throws Exception {
        ModelSidecar sidecar;
        try (InputStream in = Files.newInputStream(TestModels.ARTIFACTS.resolve(ModelArtifacts.SIDECAR))) {
            sidecar = ModelSidecar.parse(in);
        }
        FeatureMapper mapper = new FeatureMapper(sidecar);
        BehaviorSequence seq = new BehaviorSequence();
        for (JsonNode r : fixture.get("events")) {
            InboundEvent e = TestEvents.inbound(TestEvents.fromJson(r.get("topic").asText(), r.get("value")));
            seq.add(e.step(), e.sessionId(), sidecar.maxSeqLen());
        }
        ModelInput input = mapper.window(seq.events());
        JsonNode expected = fixture.get("expected");
        assertThat(input.length()).as("length").isEqualTo(expected.get("length").asInt());
        assertThat(input.actionIds()).as("action_ids").containsExactly(longs(expected.get("action_ids")));
        assertThat(input.itemIds()).as("item_ids").containsExactly(longs(expected.get("item_ids")));
        assertThat(input.categoryIds()).as("category_ids").containsExactly(longs(expected.get("category_ids")));
        assertThat(input.gapBuckets()).as("gap_buckets").containsExactly(longs(expected.get("gap_buckets")));
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        Arrays.setAll(out, i -> a.get(i).asLong());
        return out;
    }
}
