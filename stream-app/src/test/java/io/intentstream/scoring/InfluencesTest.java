package io.intentstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.Influence;
import io.intentstream.model.ScoringOutput;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.StepAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluencesTest {
    private static ScoringOutput attention(float... slots) {
        return new ScoringOutput(1, slots.length, 0, new float[0], new float[1], slots, 0, new float[0], 0, 0, null, null,
                () -> false, "v");
    }

    private static List<BehaviorEvent> events(int n) {
        List<BehaviorEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new BehaviorEvent("e" + i, 1_000L * i, StepAction.VIEW, "sku-" + i, null, null));
        }
        return out;
    }

    private static List<String> ids(List<Influence> influences) {
        return influences.stream().map(Influence::getEventId).toList();
    }

    @Test
    void theThreeLargestSharesNewerFirstOnATie() {
        // Window of 6 slots over 8 stored events: slot j is event 8 - 6 + j.
        List<Influence> top = Influences.of(0, attention(0.1f, 0.3f, 0.05f, 0.3f, 0.05f, 0.2f), events(8));
        assertThat(ids(top)).containsExactly("e5", "e3", "e7");
        assertThat(top.get(0).getWeight()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(top.get(2).getWeight()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aShortHistoryOnlyUsesTheSlotsItFills() {
        // 2 events in a window of 5: slots 3 and 4; the padding slots' attention is ignored.
        List<Influence> top = Influences.of(0, attention(0.9f, 0.9f, 0.9f, 0.25f, 0.75f), events(2));
        assertThat(ids(top)).containsExactly("e1", "e0");
        assertThat(top.get(0).getWeight()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void noPositiveAttentionGivesEqualSharesToTheNewest() {
        List<Influence> top = Influences.of(0, attention(0f, 0f, 0f, 0f), events(4));
        assertThat(ids(top)).containsExactly("e3", "e2", "e1");
        assertThat(top).allSatisfy(i -> assertThat(i.getWeight()).isEqualTo(0.25));
    }
}
