package io.intentstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.events.BrowseEvent;
import io.intentstream.registry.MockSchemaRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static List<Topic<?, ?>> declaredTopics() throws IllegalAccessException {
        List<Topic<?, ?>> topics = new ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Topic.class) {
                topics.add((Topic<?, ?>) field.get(null));
            }
        }
        return topics;
    }

    @Test
    void everyTopicNameIsDomainDotNameDotVersion() throws IllegalAccessException {
        assertThat(Topics.names(declaredTopics())).isNotEmpty()
                .allSatisfy(name -> assertThat(name).matches("[a-z][a-z0-9]*\\.[a-z][a-z0-9-]*\\.v[1-9][0-9]*"));
    }

    @Test
    void topicNamesAreUnique() throws IllegalAccessException {
        assertThat(Topics.names(declaredTopics())).doesNotHaveDuplicates();
        assertThat(Topics.ALL).doesNotHaveDuplicates();
    }

    @Test
    void allListsEveryDeclaredTopicAndTheGroupsAreSubsets() throws IllegalAccessException {
        assertThat(Topics.EVERY).containsExactlyInAnyOrderElementsOf(declaredTopics());
        assertThat(Topics.ALL).containsExactlyElementsOf(Topics.names(Topics.EVERY));
        assertThat(Topics.EVERY).containsAll(Topics.INPUTS).containsAll(Topics.KEYED_OUTPUTS);
    }

    @Test
    void aTopicsSerdesRoundTripItsValueTypeThroughTheRegistry() {
        Map<String, Object> registry = Map.of("schema.registry.url", MockSchemaRegistry.URL_PREFIX + "topics-test");
        BrowseEvent event = BrowseEvent.newBuilder().setEventId("e1").setUserId("u1").setSessionId("s1")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setPageType(io.intentstream.events.PageType.PRODUCT)
                .setItemId("i1").build();
        var serde = Topics.BROWSE.valueSerde(registry);
        byte[] bytes = serde.serializer().serialize(Topics.BROWSE.name(), event);
        assertThat(bytes[0]).as("Confluent wire format magic byte").isZero();
        assertThat(serde.deserializer().deserialize(Topics.BROWSE.name(), bytes)).isEqualTo(event);
        assertThat(Topics.BROWSE.valueType()).isEqualTo(BrowseEvent.class);
        assertThat(Topics.ERASURE.valueSerde(registry).deserializer().deserialize("t", new byte[] {7})).containsExactly(7);
    }
}
