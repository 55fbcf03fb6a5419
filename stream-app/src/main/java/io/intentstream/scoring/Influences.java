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
        List<Integer> slots = new ArrayList<>(w - first);
        for (int j = first; j < w; j++) {
            total += Math.max(0, o.attention(row, j));
            slots.add(j);
        }
        slots.sort((a, b) -> {
            int c = Float.compare(o.attention(row, b), o.attention(row, a));
            return c != 0 ? c : Integer.compare(b, a);
        });
        List<Influence> out = new ArrayList<>(TOP_INFLUENCES);
        for (int j = 0; j < Math.min(TOP_INFLUENCES, slots.size()); j++) {
            int slot = slots.get(j);
            BehaviorEvent e = window.get(n - w + slot);
            double share = total > 0 ? Math.max(0, o.attention(row, slot)) / total : 1.0 / slots.size();
            out.add(new Influence(e.eventId(), e.action().name(), e.itemId(), share));
        }
        return out;
    }

}
