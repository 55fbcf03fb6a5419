package io.intentstream.demo;

import io.intentstream.clickstream.ShopEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated shopper: a visit is a walk of browse, search and cart steps whose odds depend on
 * the shopper's current purchase intent, ending in a checkout or an abandoned visit. The cart
 * survives the end of a visit, as in a real shop.
 */
final class Shopper {
    final String userId;
    long nextDueNanos;
    private final Random random;
    private final Catalog catalog;
    private final List<ShopEvent.Line> cart = new ArrayList<>();
    private int session;
    private int step;
    private double intent;
    private Catalog.Category focus;
    private Catalog.Item lastViewed;
    private boolean sessionOver;

    Shopper(String userId, Catalog catalog, Random random) {
        this.userId = userId;
        this.catalog = catalog;
        this.random = random;
        newSession();
    }

    /** True when the last step ended the visit; the simulator then waits longer for the next one. */
    boolean sessionOver() {
        return sessionOver;
    }

    /** The next action of this shopper. */
    ShopEvent next(String eventId, long timeMs) {
        if (sessionOver) {
            newSession();
        }
        ShopEvent event = step == 0 ? entry(eventId, timeMs) : walk(eventId, timeMs);
        step++;
        return event;
    }

    private void newSession() {
        session++;
        step = 0;
        sessionOver = false;
        lastViewed = null;
        focus = catalog.drawCategory(random);
        // Most visits are low intent; a few shoppers arrive ready to buy.
        intent = Math.min(1.0, Math.max(0.0, random.nextGaussian() * 0.25 + (cart.isEmpty() ? 0.25 : 0.45)));
    }

    private String sessionId() {
        return userId + "-s" + session;
    }

    private ShopEvent entry(String id, long t) {
        double r = random.nextDouble();
        if (r < 0.3) {
            return event(id, t, ShopEvent.Kind.HOME_VIEW, null, null, null, null, List.of());
        }
        if (r < 0.7) {
            return search(id, t);
        }
        return event(id, t, ShopEvent.Kind.CATEGORY_VIEW, null, focus.id(), null, null, List.of());
    }

    private ShopEvent walk(String id, long t) {
        double add = lastViewed == null ? 0 : 0.10 + 0.25 * intent;
        double remove = cart.isEmpty() ? 0 : 0.04;
        double checkout = cart.isEmpty() || step < 3 ? 0 : 0.03 + 0.30 * intent;
        double leave = 0.03 + 0.01 * step;
        double search = 0.10;
        double view = 0.55;
        double x = random.nextDouble() * (add + remove + checkout + leave + search + view);
        // Every step nudges intent: long engaged visits drift towards buying.
        intent = Math.min(1.0, intent + 0.02 * random.nextGaussian() + 0.01);
        if ((x -= add) < 0) {
            ShopEvent.Line line = new ShopEvent.Line(lastViewed.id(), lastViewed.category(), 1 + (random.nextDouble() < 0.1 ? 1 : 0), lastViewed.price());
            cart.add(line);
            intent = Math.min(1.0, intent + 0.08);
            return event(id, t, ShopEvent.Kind.CART_ADD, line.itemId(), line.categoryId(), line.unitPrice(), null, List.of(line));
        }
        if ((x -= remove) < 0) {
            ShopEvent.Line line = cart.remove(random.nextInt(cart.size()));
            intent = Math.max(0.0, intent - 0.1);
            return event(id, t, ShopEvent.Kind.CART_REMOVE, line.itemId(), line.categoryId(), line.unitPrice(), null, List.of(line));
        }
        if ((x -= checkout) < 0) {
            List<ShopEvent.Line> bought = List.copyOf(cart);
            cart.clear();
            sessionOver = true;
            return event(id, t, ShopEvent.Kind.CHECKOUT, null, null, null, null, bought);
        }
        if ((x -= leave) < 0) {
            // Abandon: the visit ends silently; the shopper's last step was a view.
            sessionOver = true;
            return view(id, t);
        }
        if ((x -= search) < 0) {
            if (random.nextDouble() < 0.25) {
                focus = catalog.drawCategory(random);
            }
            return search(id, t);
        }
        return view(id, t);
    }

    private ShopEvent view(String id, long t) {
        lastViewed = focus.draw(random);
        return event(id, t, ShopEvent.Kind.PRODUCT_VIEW, lastViewed.id(), lastViewed.category(), lastViewed.price(), null, List.of());
    }

    private ShopEvent search(String id, long t) {
        List<String> terms = focus.terms();
        String query = terms.isEmpty() ? focus.id() : terms.get(random.nextInt(terms.size()));
        if (terms.size() > 1 && random.nextDouble() < 0.3) {
            query = query + " " + terms.get(random.nextInt(terms.size()));
        }
        return event(id, t, ShopEvent.Kind.SEARCH, null, random.nextDouble() < 0.5 ? focus.id() : null, null, query, List.of());
    }

    private ShopEvent event(String id, long t, ShopEvent.Kind kind, String item, String category, BigDecimal price,
                            String query, List<ShopEvent.Line> lines) {
        return new ShopEvent(id, userId, sessionId(), t, kind, item, category, price, query, lines);
    }
}
