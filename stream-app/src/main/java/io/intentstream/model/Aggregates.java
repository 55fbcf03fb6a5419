package io.intentstream.model;

import java.util.List;

/**
 * The model's explicit side inputs: session and history aggregates of the prefix ending at one
 * event, a function of that prefix's newest {@code aggregates.window} events only. The Java twin
 * of {@code model-export/intent_model/aggregates.py} (the stream parity fixtures hold its values).
 *
 * <p>Inside the window a session is the trailing run of events whose gaps are at most
 * {@code session_gap_ms}; the cart is what was added minus removed since the last CHECKOUT (carts
 * outlive sessions). Every value is {@code log1p} of a non-negative count, duration or amount.
 */
public final class Aggregates {
    /** Column order of the model's {@code aggregates} input. */
    public static final List<String> NAMES = List.of(
            "session_views", "session_searches", "session_adds", "session_removes", "session_checkouts",
            "session_events", "session_duration_s", "seconds_since_previous_event",
            "cart_lines", "cart_value",
            "current_item_seen_before", "current_category_seen_before",
            "checkouts_before_session", "sessions_before", "events_before_session");
    public static final int COUNT = NAMES.size();
    /** Ids below this are pad/OOV/none: they never count as "the same item or category". */
    private static final int FIRST_REAL_ID = 3;

    private final long view;
    private final long search;
    private final long add;
    private final long remove;
    private final long checkout;
    private final int window;
    private final long sessionGapMs;

    public Aggregates(ModelSidecar sidecar) {
        view = sidecar.actionId("VIEW");
        search = sidecar.actionId("SEARCH");
        add = sidecar.actionId("ADD_TO_CART");
        remove = sidecar.actionId("REMOVE_FROM_CART");
        checkout = sidecar.actionId("CHECKOUT");
        window = sidecar.streaming().aggregateWindow();
        sessionGapMs = sidecar.streaming().sessionGapMs();
    }

    /** Writes the aggregates of the prefix ending at step {@code end} of {@code in} into {@code out[offset..]}. */
    public void write(ModelInput in, int end, float[] out, int offset) {
        int lo = Math.max(0, end - window + 1);
        long[] a = in.actionIds();
        long[] it = in.itemIds();
        long[] c = in.categoryIds();
        long[] t = in.timesMs();
        int s0 = end;
        while (s0 > lo && t[s0] - t[s0 - 1] <= sessionGapMs) {
            s0--;
        }
        double[] raw = new double[COUNT];
        for (int i = s0; i <= end; i++) {
            long act = a[i];
            raw[0] += act == view ? 1 : 0;
            raw[1] += act == search ? 1 : 0;
            raw[2] += act == add ? 1 : 0;
            raw[3] += act == remove ? 1 : 0;
            raw[4] += act == checkout ? 1 : 0;
        }
        raw[5] = end - s0 + 1;
        raw[6] = (t[end] - t[s0]) / 1000.0;
        raw[7] = end > lo ? (t[end] - t[end - 1]) / 1000.0 : 0.0;
        long lines = 0;
        double value = 0;
        for (int i = lo; i <= end; i++) {
            if (a[i] == checkout) {
                lines = 0;
                value = 0;
            } else if (a[i] == add) {
                lines++;
                value += in.prices()[i];
            } else if (a[i] == remove) {
                lines = Math.max(0, lines - 1);
                value = Math.max(0.0, value - in.prices()[i]);
            }
        }
        raw[8] = lines;
        raw[9] = value;
        for (int i = lo; i < end; i++) {
            raw[10] += it[end] >= FIRST_REAL_ID && it[i] == it[end] ? 1 : 0;
            raw[11] += c[end] >= FIRST_REAL_ID && c[i] == c[end] ? 1 : 0;
        }
        int sessionsBefore = s0 > lo ? 1 : 0;
        for (int i = lo; i < s0; i++) {
            raw[12] += a[i] == checkout ? 1 : 0;
            if (i + 1 < s0 && t[i + 1] - t[i] > sessionGapMs) {
                sessionsBefore++;
            }
        }
        raw[13] = sessionsBefore;
        raw[14] = s0 - lo;
        for (int k = 0; k < COUNT; k++) {
            out[offset + k] = (float) Math.log1p(Math.max(0.0, raw[k]));
        }
    }
}
