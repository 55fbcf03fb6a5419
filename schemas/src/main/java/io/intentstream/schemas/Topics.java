package io.intentstream.schemas;

import java.util.List;

/**
 * The topic names of intent-stream's public contract: defined here once and referenced by the
 * stream app, the tests, the simulator and (checked by it-tests' {@code DocsContractTest}) the README and infra/.
 *
 * <p>Names carry a major version suffix: a change that breaks BACKWARD compatibility of a value
 * schema gets a new topic, never a new incompatible schema on an existing one.
 */
public final class Topics {
    private Topics() {}

    /** {@code BrowseEvent} values, keyed by user id. */
    public static final String BROWSE = "shop.browse.v1";
    /** {@code SearchEvent} values, keyed by user id. */
    public static final String SEARCH = "shop.search.v1";
    /** {@code CartEvent} values, keyed by user id. */
    public static final String CART = "shop.cart.v1";
    /**
     * Right-to-erasure requests: key = user id, any value (a tombstone works). The app purges the
     * user's state and writes tombstones for the user on every keyed output topic.
     */
    public static final String ERASURE = "shop.erasure.v1";

    /** {@code IntentScore} values, keyed by user id. */
    public static final String SCORES = "intent.scores.v1";
    /** {@code Recommendation} values, keyed by user id. */
    public static final String RECOMMENDATIONS = "intent.recommendations.v1";
    /** {@code IntentTrigger} values, keyed by user id. */
    public static final String TRIGGERS = "intent.triggers.v1";
    /**
     * Dead letters: the original record bytes with Kafka Streams' dead-letter error headers
     * (KIP-1034) plus {@code intentstream.dlq.reason}.
     */
    public static final String DEAD_LETTER = "intent.dlq.v1";

    public static final List<String> INPUTS = List.of(BROWSE, SEARCH, CART);
    public static final List<String> KEYED_OUTPUTS = List.of(SCORES, RECOMMENDATIONS, TRIGGERS);
    public static final List<String> ALL = List.of(BROWSE, SEARCH, CART, ERASURE, SCORES, RECOMMENDATIONS, TRIGGERS, DEAD_LETTER);
}
