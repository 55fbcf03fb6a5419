package io.intentstream.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a replay read: rows, events, rows skipped on purpose, malformed rows by line, and events the
 * serializer refused (by event id; a checkout may merge several lines).
 */
final class ReplayReport {
    static final int MAX_LISTED = 1000;

    long rows;
    long events;
    long skipped;
    long malformed;
    long rejected;
    final List<String> malformedLines = new ArrayList<>();

    void bad(long line, String reason) {
        malformed++;
        list("line " + line + ": " + reason);
    }

    void rejected(String eventId, String reason) {
        rejected++;
        list("event " + eventId + ": " + reason);
    }

    private void list(String entry) {
        if (malformedLines.size() < MAX_LISTED) {
            malformedLines.add(entry);
        }
    }

    /** Malformed rows plus rejected events: everything listed in {@link #malformedLines}. */
    long bad() {
        return malformed + rejected;
    }

    long sent() {
        return events - rejected;
    }

    String summary() {
        return rows + " rows, " + sent() + " events sent, " + skipped + " skipped, " + malformed + " malformed, "
                + rejected + " rejected by the serializer";
    }
}
