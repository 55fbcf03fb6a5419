package io.intentstream.cli;

import io.intentstream.clickstream.ShopEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a clickstream file into {@link ShopEvent}s without loading it: sessions for sources that
 * have none are cut at 30 minutes of inactivity per user, and a purchase logged as one row per
 * product (REES46, Taobao) becomes one CHECKOUT carrying all lines, as in model-export.
 */
final class ClickstreamReader {
    static final long SESSION_GAP_MS = 30 * 60 * 1000L;

    private final ClickstreamFormat format;
    private final String idPrefix;
    private final ReplayReport report;
    private final Map<String, long[]> sessionByUser = new HashMap<>();
    private ShopEvent pendingCheckout;
    private Map<String, Integer> header = Map.of();

    ClickstreamReader(ClickstreamFormat format, String idPrefix, ReplayReport report) {
        this.format = format;
        this.idPrefix = idPrefix;
        this.report = report;
    }

    /** Reads every line; {@code lineRead} sees each physical line number (for progress). */
    void read(BufferedReader in, Consumer<ShopEvent> sink) throws IOException {
        long line = 0;
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (line == 1 && format.header) {
                header = ClickstreamFormat.headerIndex(CsvRow.split(text));
                if (format == ClickstreamFormat.GENERIC) {
                    for (String required : List.of("user_id", "event_time_ms", "event_type")) {
                        if (!header.containsKey(required)) {
                            throw new IllegalArgumentException("generic CSV lacks column " + required + "; header: " + text);
                        }
                    }
                }
                continue;
            }
            if (text.isBlank()) {
                continue;
            }
            report.rows++;
            ShopEvent event;
            try {
                event = format.parse(CsvRow.split(text), header, line, idPrefix);
            } catch (RowException e) {
                report.bad(line, e.getMessage());
                continue;
            }
            if (event == null) {
                report.skipped++;
                continue;
            }
            emit(withSession(event), sink);
        }
        flush(sink);
    }

    private ShopEvent withSession(ShopEvent e) {
        if (!e.sessionId().isEmpty()) {
            return e;
        }
        // [session number, last event time]; out-of-order rows stay in the current session.
        long[] state = sessionByUser.computeIfAbsent(e.userId(), u -> new long[] {0, e.timeMs()});
        if (e.timeMs() - state[1] > SESSION_GAP_MS) {
            state[0]++;
        }
        state[1] = Math.max(state[1], e.timeMs());
        return copy(e, e.userId() + "#" + state[0], e.lines());
    }

    private void emit(ShopEvent e, Consumer<ShopEvent> sink) {
        if (e.kind() == ShopEvent.Kind.CHECKOUT && format != ClickstreamFormat.GENERIC) {
            if (pendingCheckout != null && sameOrder(pendingCheckout, e)) {
                List<ShopEvent.Line> lines = new ArrayList<>(pendingCheckout.lines());
                lines.addAll(e.lines());
                pendingCheckout = copy(pendingCheckout, pendingCheckout.sessionId(), lines);
                return;
            }
            flush(sink);
            pendingCheckout = e;
            return;
        }
        flush(sink);
        sink.accept(e);
        report.events++;
    }

    private void flush(Consumer<ShopEvent> sink) {
        if (pendingCheckout != null) {
            sink.accept(pendingCheckout);
            report.events++;
            pendingCheckout = null;
        }
    }

    private static boolean sameOrder(ShopEvent a, ShopEvent b) {
        return a.userId().equals(b.userId()) && a.sessionId().equals(b.sessionId()) && a.timeMs() / 1000 == b.timeMs() / 1000;
    }

    private static ShopEvent copy(ShopEvent e, String session, List<ShopEvent.Line> lines) {
        return new ShopEvent(e.eventId(), e.userId(), session, e.timeMs(), e.kind(), e.itemId(), e.categoryId(),
                e.price(), e.query(), lines);
    }
}
