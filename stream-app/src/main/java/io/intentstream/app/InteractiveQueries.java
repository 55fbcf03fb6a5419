package io.intentstream.app;

import io.intentstream.http.IntentHttpServer;
import io.intentstream.http.Lookup;
import io.intentstream.http.RecordJson;
import io.intentstream.http.UserStateQueries;
import io.intentstream.topology.LatestOutputs;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Answers per-user queries from the instance that owns the user's partition: locally when that is
 * this instance, otherwise by forwarding to the owner's {@code application.server} over HTTP.
 * While the key's owner is unknown or its store is migrating (rebalance, restoration) the answer
 * is "unavailable, retry shortly" rather than a wrong 404.
 */
final class InteractiveQueries implements UserStateQueries {
    private static final Logger log = LoggerFactory.getLogger(InteractiveQueries.class);
    static final int RETRY_AFTER_SECONDS = 2;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong forwarded = new AtomicLong();

    /** @param store the latest-outputs store: userId → {@link LatestOutputs} */
    InteractiveQueries(KafkaStreams streams, HostInfo self, String store) {
        this.streams = streams;
        this.self = self;
        this.store = store;
    }

    @Override
    public Lookup latestScore(String userId, boolean localOnly) {
        return lookup(userId, "intent", LatestOutputs::score, localOnly);
    }

    @Override
    public Lookup latestRecommendation(String userId, boolean localOnly) {
        return lookup(userId, "recommendations", LatestOutputs::recommendation, localOnly);
    }

    private Lookup lookup(String userId, String resource, Function<LatestOutputs, IndexedRecord> part, boolean localOnly) {
        if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "stream app is " + streams.state());
        }
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(store, userId, Serdes.String().serializer());
        } catch (IllegalStateException | InvalidStateStoreException e) {
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "partition ownership is being rebalanced");
        }
        if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "partition ownership is being rebalanced");
        }
        if (self.equals(owner.activeHost())) {
            return local(userId, owner.partition(), part);
        }
        if (localOnly) {
            // A peer forwarded this because it thought we own the key; ownership moved since.
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "this instance does not own user " + userId
                    + " (owner now " + owner.activeHost() + "); ask again");
        }
        return forward(owner.activeHost(), userId, resource);
    }

    private Lookup local(String userId, int partition, Function<LatestOutputs, IndexedRecord> part) {
        try {
            ReadOnlyKeyValueStore<String, LatestOutputs> kv = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, LatestOutputs>keyValueStore())
                            .withPartition(partition));
            LatestOutputs value = kv.get(userId);
            IndexedRecord record = value == null ? null : part.apply(value);
            // A scored shopper may have no recommendation yet (they follow recommend.interval.ms).
            return record == null ? Lookup.notFound() : Lookup.found(RecordJson.toJson(record));
        } catch (InvalidStateStoreException e) {
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "store " + store + " is migrating");
        }
    }

    long forwarded() {
        return forwarded.get();
    }

    private Lookup forward(HostInfo owner, String userId, String resource) {
        forwarded.incrementAndGet();
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/users/" + userId + "/" + resource
                + "?" + IntentHttpServer.LOCAL_ONLY_PARAM);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> Lookup.found(response.body());
                case 404 -> Lookup.notFound();
                default -> Lookup.unavailable(RETRY_AFTER_SECONDS, "owner " + owner + " answered " + response.statusCode());
            };
        } catch (IOException e) {
            log.debug("forwarding to {} failed", uri, e);
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "owner " + owner + " unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lookup.unavailable(RETRY_AFTER_SECONDS, "interrupted");
        }
    }
}
