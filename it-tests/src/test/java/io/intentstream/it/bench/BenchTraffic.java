package io.intentstream.it.bench;

import io.intentstream.demo.Catalog;
import io.intentstream.clickstream.ShopEvent;

import java.util.List;
import java.util.Random;

/**
 * Shoppers for the live benchmark, round-robin, so with many shoppers one shopper's events are
 * seconds apart as in live traffic: mostly product views over the packaged catalog, a search every
 * 7th event, an add-to-cart of the last viewed item every 5th. Event time = send time.
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
        sent++;
        String user = "bench-" + u;
        String id = user + "-" + runId + "-" + n;
        long now = System.currentTimeMillis();
        Catalog.Category category = catalog.categories().get(Math.floorMod(u * 31 + (int) (n / 8), catalog.categories().size()));
        Catalog.Item item = category.draw(random);
        if (n % 7 == 6 && !category.terms().isEmpty()) {
            return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.SEARCH, null, category.id(), null,
                    category.terms().get(0), List.of());
        }
        if (n % 5 == 4) {
            return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.CART_ADD, item.id(), item.category(), item.price(),
                    null, List.of(new ShopEvent.Line(item.id(), item.category(), 1, item.price())));
        }
        return new ShopEvent(id, user, user + "-s", now, ShopEvent.Kind.PRODUCT_VIEW, item.id(), item.category(), item.price(),
                null, List.of());
    }
}
