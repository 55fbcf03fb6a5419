package io.intentstream.app;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.topology.StoreNames;
import org.apache.kafka.streams.Topology;

import java.util.Properties;

/** The one place the app touches the topology's API: how to build it and which stores to query. */
final class TopologyBinding {
    static final String SCORE_STORE = StoreNames.LATEST_SCORES;
    static final String RECOMMENDATION_STORE = StoreNames.LATEST_RECOMMENDATIONS;

    private TopologyBinding() {}

    static Topology build(IntentConfig config, LiveModel model, IntentMetrics metrics) {
        return io.intentstream.topology.IntentTopology.build(config, model, metrics);
    }

    /** The topology's own Streams settings (dead-letter handlers and their metrics) on top of the config. */
    static Properties streamsProperties(IntentConfig config, IntentMetrics metrics) {
        return io.intentstream.topology.IntentTopology.streamsProperties(config, metrics);
    }
}
