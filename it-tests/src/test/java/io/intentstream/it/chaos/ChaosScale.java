package io.intentstream.it.chaos;

/**
 * How big a chaos run is. One knob, {@code -Dchaos.events=N} (or {@code INTENTSTREAM_CHAOS_EVENTS}),
 * scales everything else: 20 events per shopper (below the model's L=50, so a shopper's final
 * {@code sequence_length} is exactly its event count), 1,000 bad records per kind per 200k good
 * events, and a paced send rate so that probes measure recovery, not a backlog.
 *
 * @param events        good events in total
 * @param shoppers      distinct shoppers (events / 20)
 * @param badPerKind    bad records of each kind (the megabyte kind sends a tenth of it)
 * @param eventsPerSec  good events per second the traffic is paced at ({@code -Dchaos.rate})
 */
record ChaosScale(int events, int shoppers, int badPerKind, int eventsPerSec) {
    static final int EVENTS_PER_SHOPPER = 20;
    static final int CI_EVENTS = 200_000;

    static ChaosScale fromEnvironment() {
        int events = setting("chaos.events", "INTENTSTREAM_CHAOS_EVENTS", CI_EVENTS);
        int rate = setting("chaos.rate", "INTENTSTREAM_CHAOS_RATE", 1200);
        int shoppers = Math.max(1, events / EVENTS_PER_SHOPPER);
        int bad = Math.max(10, (int) Math.round(1000.0 * events / CI_EVENTS));
        return new ChaosScale(shoppers * EVENTS_PER_SHOPPER, shoppers, bad, rate);
    }

    private static int setting(String property, String env, int fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim().replace("_", ""));
    }
}
