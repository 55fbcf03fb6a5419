package io.intentstream.scoring;

import io.intentstream.intent.Influence;
import io.intentstream.model.ScoringOutput;
import io.intentstream.sequence.BehaviorEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * <b>Influences</b> (explainability): the model returns the last layer's attention of the
 * newest event over its window of W events, averaged over heads; the three largest shares (ties:
 * newer first) are reported with their event ids. Attention is a proxy for influence, not an
 * attribution method.
 */
final class Influences {
    static final int TOP_INFLUENCES = 3;

    private Influences() {}

    /** Attention slot j of the window of W is event {@code n - W + j} of the stored window. */
    static List<Influence> of(int row, ScoringOutput o, List<BehaviorEvent> window) {
        int n = window.size();
        int w = o.window();
        int first = Math.max(0, w - n);
        double total = 0;
        // The top slots by a partial insertion, not a sort of all W: this runs for every score.
        int[] top = new int[Math.min(TOP_INFLUENCES, w - first)];
        int kept = 0;
        for (int j = first; j < w; j++) {
            total += Math.max(0, o.attention(row, j));
            int at = kept < top.length ? kept++ : top.length;
            while (at > 0 && ranksBefore(o, row, j, top[at - 1])) {
                if (at < top.length) {
                    top[at] = top[at - 1];
                }
                at--;
            }
            if (at < top.length) {
                top[at] = j;
            }
        }
        List<Influence> out = new ArrayList<>(top.length);
        for (int slot : top) {
            BehaviorEvent e = window.get(n - w + slot);
            double share = total > 0 ? Math.max(0, o.attention(row, slot)) / total : 1.0 / (w - first);
            out.add(new Influence(e.eventId(), e.action().name(), e.itemId(), share));
        }
        return out;
    }

    /** Larger attention first; on a tie the newer slot. */
    private static boolean ranksBefore(ScoringOutput o, int row, int a, int b) {
        int c = Float.compare(o.attention(row, a), o.attention(row, b));
        return c != 0 ? c > 0 : a > b;
    }
}
