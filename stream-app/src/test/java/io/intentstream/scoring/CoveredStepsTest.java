package io.intentstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.model.ModelInput;
import org.junit.jupiter.api.Test;

class CoveredStepsTest {
    private static ModelInput input(long... items) {
        int n = items.length;
        long[] actions = new long[n];
        long[] categories = new long[n];
        long[] gaps = new long[n];
        for (int i = 0; i < n; i++) {
            actions[i] = 1 + i % 3;
            categories[i] = 10 + items[i] % 4;
            gaps[i] = i % 5;
        }
        return new ModelInput(actions, items, categories, gaps, new long[n], new float[n]);
    }

    @Test
    void aCacheMatchesTheSameStepsAfterTheWindowSlid() {
        ModelInput before = input(5, 6, 7, 8, 9);
        CoveredSteps covered = CoveredSteps.of(before, 4, 3); // steps 2..4: items 7, 8, 9
        // The stored window lost its oldest event and gained a new one: the same three steps end at 3.
        ModelInput slid = new ModelInput(new long[] {2, 3, 1, 2, 1}, new long[] {6, 7, 8, 9, 4},
                new long[] {12, 13, 10, 11, 10}, new long[] {1, 2, 3, 4, 0}, new long[5], new float[5]);
        assertThat(covered.matches(slid, 3, 3)).isTrue();
        assertThat(covered.matches(before, 4, 3)).isTrue();
    }

    @Test
    void anyChangedFieldOrSpanIsAMismatch() {
        ModelInput x = input(5, 6, 7, 8, 9);
        CoveredSteps covered = CoveredSteps.of(x, 4, 3);
        assertThat(covered.matches(x, 3, 3)).as("other steps").isFalse();
        assertThat(covered.matches(x, 4, 4)).as("a longer span over the same end").isFalse();
        for (int field = 0; field < 4; field++) {
            ModelInput changed = input(5, 6, 7, 8, 9);
            long[] f = switch (field) {
                case 0 -> changed.actionIds();
                case 1 -> changed.itemIds();
                case 2 -> changed.categoryIds();
                default -> changed.gapBuckets();
            };
            f[3]++;
            assertThat(covered.matches(changed, 4, 3)).as("field %d of a covered step changed", field).isFalse();
        }
        ModelInput outside = input(5, 6, 7, 8, 9);
        outside.itemIds()[1]++;
        assertThat(covered.matches(outside, 4, 3)).as("a step outside the span does not matter").isTrue();
    }

    @Test
    void aShortWindowIsCoveredFromItsFirstStep() {
        ModelInput x = input(5, 6);
        CoveredSteps covered = CoveredSteps.of(x, 1, 48);
        assertThat(covered.matches(x, 1, 48)).isTrue();
        assertThat(covered.matches(input(5, 6, 7), 1, 48)).as("same first two steps, same end").isTrue();
        assertThat(covered.matches(input(5, 6, 7), 2, 48)).isFalse();
    }
}
