package io.intentstream.cli;

import java.util.ArrayList;
import java.util.List;

/** What a replay read: rows, events sent, rows skipped on purpose, and malformed rows by line. */
final class ReplayReport {
    static final int MAX_LISTED = 1000;

    long rows;
    long events;
    long skipped;
    long malformed;
    final List<String> malformedLines = new ArrayList<>();

    void bad(long line, String reason) {
        malformed++;
        if (malformedLines.size() < MAX_LISTED) {
            malformedLines.add("line " + line + ": " + reason);
        }
    }

    String summary() {
        return rows + " rows, " + events + " events sent, " + skipped + " skipped, " + malformed + " malformed";
    }
}
