package io.intentstream.schemas;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.SearchEvent;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import java.util.List;

/**
 * The topics of intent-stream's public contract, each with its key and value types: defined here
 * once and used by the stream app, the CLI, the demo, the tests and (checked by it-tests'
 * {@code DocsContractTest}) the README and infra/.
 *
 * <p>Names carry a major version suffix: a change that breaks BACKWARD compatibility of a value
 * schema gets a new topic, never a new incompatible schema on an existing one.
 */
public final class Topics {
    private Topics() {}

    /** {@code BrowseEvent} values, keyed by user id. */
    public static final Topic<String, BrowseEvent> BROWSE = Topic.avro("shop.browse.v1", BrowseEvent.class);
    /** {@code SearchEvent} values, keyed by user id. */
    public static final Topic<String, SearchEvent> SEARCH = Topic.avro("shop.search.v1", SearchEvent.class);
    /** {@code CartEvent} values, keyed by user id. */
    public static final Topic<String, CartEvent> CART = Topic.avro("shop.cart.v1", CartEvent.class);
    /**
     * Right-to-erasure requests: key = user id, any value (a tombstone works). The app purges the
     * user's state and writes tombstones for the user on every keyed output topic.
     */
    public static final Topic<String, byte[]> ERASURE = Topic.keyedBytes("shop.erasure.v1");

    /** {@code IntentScore} values, keyed by user id. */
    public static final Topic<String, IntentScore> SCORES = Topic.avro("intent.scores.v1", IntentScore.class);
    /** {@code Recommendation} values, keyed by user id. */
    public static final Topic<String, Recommendation> RECOMMENDATIONS =
            Topic.avro("intent.recommendations.v1", Recommendation.class);
    /** {@code IntentTrigger} values, keyed by user id. */
    public static final Topic<String, IntentTrigger> TRIGGERS = Topic.avro("intent.triggers.v1", IntentTrigger.class);
    /**
     * Dead letters: the original record bytes with Kafka Streams' dead-letter error headers
     * (KIP-1034) plus {@code intentstream.dlq.reason}.
     */
    public static final Topic<byte[], byte[]> DEAD_LETTER = Topic.rawBytes("intent.dlq.v1");

    public static final List<Topic<String, ?>> INPUTS = List.of(BROWSE, SEARCH, CART);
    public static final List<Topic<String, ?>> KEYED_OUTPUTS = List.of(SCORES, RECOMMENDATIONS, TRIGGERS);
    public static final List<Topic<?, ?>> EVERY = List.of(BROWSE, SEARCH, CART, ERASURE, SCORES, RECOMMENDATIONS, TRIGGERS,
            DEAD_LETTER);
    /** The names of {@link #EVERY} topic: what docs, manifests and topic-creation scripts must match. */
    public static final List<String> ALL = names(EVERY);

    /** The names of {@code topics}, in order (for admin clients and subscriptions). */
    public static List<String> names(List<? extends Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).toList();
    }
}
