package io.intentstream.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class IdleIndexTest {

    @Test
    void dueByReturnsTheOldestFirstUpToTheCutoffAndLimit() {
        IdleIndex index = new IdleIndex();
        index.put("b", 20);
        index.put("a", 20); // same time: in the order put
        index.put("c", 10); // older than the newest: the clock stepped back
        index.put("d", 30);

        assertThat(index.dueBy(20, 10)).containsExactly(KeyValue.pair("c", 10L), KeyValue.pair("b", 20L), KeyValue.pair("a", 20L));
        assertThat(index.dueBy(20, 2)).extracting(kv -> kv.key).containsExactly("c", "b");
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
    void entriesPutOutOfOrderMergeWithTheInOrderOnesAndMoveOnTheirNextPut() {
        IdleIndex index = new IdleIndex();
        for (int i = 0; i < 10; i++) {
            index.put("in" + i, 100 + 10 * i);            // 100..190
        }
        index.put("late1", 125);
        index.put("late2", 105);
        index.put("in3", 300);                          // moves to the end
        index.put("late1", 400);                        // leaves the late entries
        index.remove("late2", 105);
        index.put("late3", 150);

        assertThat(index.dueBy(Long.MAX_VALUE, 100)).extracting(kv -> kv.key).containsExactly(
                "in0", "in1", "in2", "in4", "in5", "late3", "in6", "in7", "in8", "in9", "in3", "late1");
        assertThat(index.dueBy(150, 100)).extracting(kv -> kv.value).containsExactly(100L, 110L, 120L, 140L, 150L, 150L);
        assertThat(index.size()).isEqualTo(12);
        index.remove("late3");
        assertThat(index.contains("late3")).isFalse();
        assertThat(index.size()).isEqualTo(11);
    }

    @Test
    void oneTimeFarAheadDoesNotKeepEveryLaterEntryOffTheOrderedPath() {
        IdleIndex index = new IdleIndex();
        index.put("ahead", 1_000_000);                  // a clock that ran ahead
        for (int i = 0; i < 500; i++) {
            index.put("u" + i, 1_000 + i);
        }
        List<KeyValue<String, Long>> due = index.dueBy(Long.MAX_VALUE, 1_000);
        assertThat(due).hasSize(501);
        assertThat(due.get(0)).isEqualTo(KeyValue.pair("u0", 1_000L));
        assertThat(due.get(500)).isEqualTo(KeyValue.pair("ahead", 1_000_000L));
        assertThat(due).extracting(kv -> kv.value).isSorted();
        assertThat(index.lateEntries()).as("re-sorted into the ordered map whenever they outnumber it")
                .isLessThanOrEqualTo(index.size() / 2);
    }

    @Test
    void putAllIndexesOldestFirst() {
        IdleIndex index = new IdleIndex();
        index.putAll(java.util.List.of(KeyValue.pair("c", 30L), KeyValue.pair("a", 10L), KeyValue.pair("b", 20L)));
        assertThat(index.dueBy(Long.MAX_VALUE, 10)).extracting(kv -> kv.key).containsExactly("a", "b", "c");
        index.put("d", 15); // a shopper active again with an older clock: still found in time order
        assertThat(index.dueBy(Long.MAX_VALUE, 10)).extracting(kv -> kv.key).containsExactly("a", "d", "b", "c");
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
