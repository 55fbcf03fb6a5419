package io.intentstream.it.bench;

import io.intentstream.demo.Catalog;
import io.intentstream.clickstream.ShopEvent;

import java.util.List;
import java.util.Random;

/**
 * Shoppers for the live benchmark, round-robin, so with many shoppers one shopper's events are
 * seconds apart as in live traffic: mostly product views over the packaged catalog, a search every
 * 7th event, an add-to-cart of the last viewed item every 5th. Event time = send time.
 *
 * <p>Each shopper's pattern is offset by the shopper's number, so that in any round 1 in 5 adds to
 * the cart. Before, every shopper added to the cart in the same round (one in five): shoppers
 * in lockstep, and since a cart change makes a recommendation, every score of that round also
 * recommended, a wave that live traffic does not make (BENCHMARKS.md, run G).
 */
final class BenchTraffic {
    private final Catalog catalog = Catalog.packagedOrSynthetic();
    private final Random random = new Random(42);
    private final int users;
    private final String runId;
    private long sent;

    BenchTraffic(int users, String runId) {
        this.users = users;
        this.runId = runId;
    }

    ShopEvent next() {
        int u = (int) (sent % users);
        long n = sent / users;
        long k = n + u;   // this shopper's place in the view / search / cart pattern
        sent++;
        String user = "bench-" + u;
        String id = user + "-" + runId + "-" + n;
        long now = System.currentTimeMillis();
        Catalog.Category category = catalog.categories().get(Math.floorMod(u * 31 + (int) (n / 8), catalog.categories().size()));
        Catalog.Item item = category.draw(random);
        if (k % 7 == 6 && !category.terms().isEmpty()) {
            return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.SEARCH, null, category.id(), null,
                    category.terms().get(0), List.of());
        }
        if (k % 5 == 4) {
            return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.CART_ADD, item.id(), item.category(), item.price(),
                    null, List.of(new ShopEvent.Line(item.id(), item.category(), 1, item.price())));
        }
        return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.PRODUCT_VIEW, item.id(), item.category(), item.price(),
                null, List.of());
    }
}
