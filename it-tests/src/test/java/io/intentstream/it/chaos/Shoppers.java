package io.intentstream.it.chaos;

import io.intentstream.demo.Catalog;
import io.intentstream.clickstream.ShopEvent;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The good traffic, computed rather than stored so that a 1M-event run needs no memory for it:
 * event {@code i} of shopper {@code u} is a pure function of (u, i). Every event is one model step
 * (product view, search or cart add over the packaged catalog), so the shopper's final
 * {@code sequence_length} is the number of its events the app has counted.
 */
final class Shoppers {
    private static final Catalog CATALOG = Catalog.packagedOrSynthetic();

    private Shoppers() {}

    static String user(int u) {
        return "shopper-" + u;
    }

    /** Event {@code i} of shopper {@code u}, stamped with {@code timeMs} (the moment it is sent). */
    static ShopEvent event(int u, int i, long timeMs) {
        String user = user(u);
        Catalog.Category category = CATALOG.categories().get(new Random(u).nextInt(CATALOG.categories().size()));
        Random random = new Random(31L * u + 1_000_003L * i);
        String id = user + "-e" + i;
        int kind = i == 0 ? 1 : random.nextInt(6);
        Catalog.Item item = category.draw(random);
        if (kind == 1) {
            String query = category.terms().isEmpty() ? category.id() : category.terms().get(random.nextInt(category.terms().size()));
            return new ShopEvent(id, user, user + "-s1", timeMs, ShopEvent.Kind.SEARCH, null, category.id(), null, query, List.of());
        }
        if (kind == 2) {
            ShopEvent.Line line = new ShopEvent.Line(item.id(), item.category(), 1 + random.nextInt(3), item.price());
            return new ShopEvent(id, user, user + "-s1", timeMs, ShopEvent.Kind.CART_ADD, item.id(), item.category(),
                    item.price(), null, List.of(line));
        }
        return new ShopEvent(id, user, user + "-s1", timeMs, ShopEvent.Kind.PRODUCT_VIEW, item.id(), item.category(),
                item.price(), null, List.of());
    }

    /** A one-event shopper whose key lands on input partition {@code partition}: a recovery probe. */
    static ShopEvent probe(String round, int partition, int partitions, long timeMs) {
        for (int n = 0; ; n++) {
            String user = "probe-" + round + "-p" + partition + "-" + n;
            if (partitionOf(user, partitions) == partition) {
                Catalog.Category category = CATALOG.categories().get(0);
                Catalog.Item item = category.items().get(0);
                return new ShopEvent(user + "-e0", user, user + "-s1", timeMs, ShopEvent.Kind.PRODUCT_VIEW, item.id(),
                        item.category(), item.price(), null, List.of());
            }
        }
    }

    /** The producer's default partition for a string key (murmur2, as Kafka's own partitioner). */
    static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }
}
