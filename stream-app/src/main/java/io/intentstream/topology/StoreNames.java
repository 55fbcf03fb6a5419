package io.intentstream.topology;

/** Names of the topology's state stores (and so of their changelog topics). */
public final class StoreNames {
    /** userId → {@code BehaviorSequence} (binary codec). */
    public static final String SEQUENCES = "intent-sequences";
    /** Not a store: the metrics label of the in-memory set of users waiting to be scored. */
    public static final String DIRTY_USERS = "intent-dirty-users";
    /** Not a store: the metrics label of the heap index of users by last activity (idle expiry), derived from the sequences. */
    public static final String IDLE_INDEX = "intent-idle-index";
    /** Not a store: the metrics label of the heap index of non-empty carts not yet checked for abandonment (derived). */
    public static final String ABANDONMENT_INDEX = "intent-abandonment-index";
    /** userId → latest {@code IntentScore} and {@code Recommendation} together (interactive queries). */
    public static final String LATEST_OUTPUTS = "intent-latest-outputs";

    private StoreNames() {}
}
