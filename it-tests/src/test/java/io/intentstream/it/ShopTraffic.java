package io.intentstream.it;

import io.intentstream.demo.Catalog;
import io.intentstream.clickstream.ShopEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic test shoppers over the packaged catalog: every event is one model step. */
final class ShopTraffic {
    private static final Catalog CATALOG = Catalog.packagedOrSynthetic();

    private ShopTraffic() {}

    /**
     * {@code count} events of one user: product views, searches and cart adds with known items,
     * ids {@code <user>-e<i>}, times 1 s apart ending now.
     */
    static List<ShopEvent> session(String user, int count, long seed) {
        Random random = new Random(seed);
        Catalog.Category category = CATALOG.categories().get(random.nextInt(CATALOG.categories().size()));
        long start = System.currentTimeMillis() - count * 1000L;
        List<ShopEvent> events = new ArrayList<>();
        Catalog.Item last = null;
        for (int i = 0; i < count; i++) {
            String id = user + "-e" + i;
            long t = start + i * 1000L;
            int kind = i == 0 ? 1 : random.nextInt(6);
            if (kind == 1) {
                String query = category.terms().isEmpty() ? category.id() : category.terms().get(0);
                events.add(new ShopEvent(id, user, user + "-s1", t, ShopEvent.Kind.SEARCH, null, category.id(), null, query, List.of()));
            } else if (kind == 2 && last != null) {
                ShopEvent.Line line = new ShopEvent.Line(last.id(), last.category(), 1, last.price());
                events.add(new ShopEvent(id, user, user + "-s1", t, ShopEvent.Kind.CART_ADD, last.id(), last.category(),
                        last.price(), null, List.of(line)));
            } else {
                last = category.draw(random);
                events.add(new ShopEvent(id, user, user + "-s1", t, ShopEvent.Kind.PRODUCT_VIEW, last.id(), last.category(),
                        last.price(), null, List.of()));
            }
        }
        return events;
    }
}
