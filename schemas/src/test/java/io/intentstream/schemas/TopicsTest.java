package io.intentstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static List<String> declaredTopicNames() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }

    @Test
    void everyTopicNameIsDomainDotNameDotVersion() throws IllegalAccessException {
        assertThat(declaredTopicNames()).isNotEmpty()
                .allSatisfy(name -> assertThat(name).matches("[a-z][a-z0-9]*\\.[a-z][a-z0-9-]*\\.v[1-9][0-9]*"));
    }

    @Test
    void topicNamesAreUnique() throws IllegalAccessException {
        assertThat(declaredTopicNames()).doesNotHaveDuplicates();
        assertThat(Topics.ALL).doesNotHaveDuplicates();
    }

    @Test
    void allListsEveryDeclaredTopicAndTheGroupsAreSubsets() throws IllegalAccessException {
        assertThat(Topics.ALL).containsExactlyInAnyOrderElementsOf(declaredTopicNames());
        assertThat(Topics.ALL).containsAll(Topics.INPUTS).containsAll(Topics.KEYED_OUTPUTS);
    }
}
