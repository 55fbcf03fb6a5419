package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.intent.IntentScore;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.schemas.Topics;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/**
 * A registry outage when a score is first written: the output cannot be serialized inside the
 * scoring punctuation. Kafka Streams hands that failure to the processing handler with no source
 * record; it used to be dead-lettered as PROCESSING_ERROR (an empty dead letter) and the score dropped.
 */
class RegistryOutageTopologyTest extends TopologyFixture {
    @Test
    void anOutputThatCannotBeSerializedFailsTheRoundWithoutADeadLetterAndLeavesTheShopperOwed() {
        start(Map.of());
        TestOutputTopic<String, IntentScore> scores = out(Topics.SCORES);
        view("u1", "e1", T0 - 1_000, vocab.get(0)); // the app reads the event's schema: cached from now on
        MockSchemaRegistry registryOfTest = MockSchemaRegistry.forScope(scope);
        registryOfTest.setDown(true);

        assertThatThrownBy(this::tick).isInstanceOf(StreamsException.class)
                .rootCause().hasMessageContaining("is down");

        assertThat(deadLetters().isEmpty()).as("no dead letter for an output the app could not write").isTrue();
        assertThat(scores.isEmpty()).isTrue();
        assertThat(metrics.registry().get(IntentMetrics.REGISTRY_UNAVAILABLE).counter().count()).isEqualTo(1);

        assertThat(driver.getKeyValueStore(StoreNames.LATEST_OUTPUTS).get("u1"))
                .as("no score stored as emitted: the aborted transaction leaves u1 owed").isNull();
        // The failed stream thread is replaced and reads u1's event again (ChaosTest's registry outage
        // shows that on a real broker); the test driver does not re-deliver, so it stops here.
    }
}
