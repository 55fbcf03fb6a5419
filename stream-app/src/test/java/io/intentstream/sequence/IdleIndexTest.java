package io.intentstream.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class IdleIndexTest {

    @Test
    void dueByReturnsTheOldestFirstUpToTheCutoffAndLimit() {
        IdleIndex index = new IdleIndex();
        index.put("b", 20);
        index.put("a", 20); // same time: by user id
        index.put("c", 10);
        index.put("d", 30);

        assertThat(index.dueBy(20, 10)).containsExactly(KeyValue.pair("c", 10L), KeyValue.pair("a", 20L), KeyValue.pair("b", 20L));
        assertThat(index.dueBy(20, 2)).extracting(kv -> kv.key).containsExactly("c", "a");
        assertThat(index.dueBy(9, 10)).isEmpty();
        assertThat(index.dueBy(-1, 10)).isEmpty();
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void oneEntryPerUserAndNegativeTimesCountAsZero() {
        IdleIndex index = new IdleIndex();
        index.put("u", 5);
        index.put("u", 50);          // replaces the entry at 5
        index.put("u", 50);
        assertThat(index.dueBy(100, 10)).containsExactly(KeyValue.pair("u", 50L));
        assertThat(index.size()).isEqualTo(1);

        index.put("early", -7);
        assertThat(index.dueBy(0, 10)).containsExactly(KeyValue.pair("early", 0L));
        index.remove("early", -7);
        assertThat(index.contains("early")).isFalse();
        index.clear();
        assertThat(index.size()).isZero();
        assertThat(index.dueBy(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void aTimedRemoveActsOnlyOnThatEntryAndAnUntimedOneAlways() {
        IdleIndex index = new IdleIndex();
        index.put("u", 50);
        index.remove("u", 49);       // listed at another time: the newer entry stays
        assertThat(index.contains("u")).isTrue();
        index.remove("u");           // erasure: whatever its time
        assertThat(index.contains("u")).isFalse();
        assertThat(index.dueBy(Long.MAX_VALUE, 10)).isEmpty();
        index.remove("nobody");
        assertThat(index.size()).isZero();
    }
}
