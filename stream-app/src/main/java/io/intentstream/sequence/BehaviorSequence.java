package io.intentstream.sequence;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One shopper's state: the newest events in event-time order (late events inserted in place,
 * duplicates dropped by event id), the cart, and what was bought this session. Mutable; owned by
 * one stream task at a time.
 */
public final class BehaviorSequence {
    /** Bought-this-session ids kept for the recommendation filter; older ones fall off. */
    static final int MAX_PURCHASED = 200;
    /**
     * Distinct cart lines kept; adding another drops the oldest line. Bounds the state and, with
     * the per-line quantity cap, the cart total a trigger reports.
     */
    public static final int MAX_CART_ITEMS = 200;

    String sessionId;
    long lastSeenMs;
    String currency = "USD";
    /** Read from a sequence stored before format 5, dropped in the transaction that moves it to the outputs. */
    LegacyTrigger legacyTrigger;
    /** Events accepted so far (a score owed while it exceeds LatestOutputs' scoredThrough). */
    long accepted;
    /** Record timestamp of the newest accepted event; NONE before the first. */
    long lastRecordTs = NONE;
    /** lastSeenMs at which the idle cart was last checked for abandonment (once per idle period). */
    long abandonmentCheckedAtMs = NONE;
    static final long NONE = Long.MIN_VALUE;
    final List<BehaviorEvent> events = new ArrayList<>();
    /**
     * Digests of the ids evicted from the window ({@link EventIdDigest}), oldest first, so a replay
     * of an evicted event is still recognised.
     */
    final Deque<Long> evictedIds = new ArrayDeque<>();
    final Map<String, CartItem> cart = new LinkedHashMap<>();
    final Set<String> purchasedInSession = new LinkedHashSet<>();

    /**
     * Inserts the event at its event-time position (after events with an equal time, i.e. arrival
     * order breaks ties) and keeps the newest {@code maxLength}.
     *
     * @return false when the event id was seen before (first arrival wins): nothing changed. An
     *     event older than a full window returns true but falls straight out of the window.
     */
    public boolean add(BehaviorEvent event, String eventSessionId, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1");
        }
        if (contains(event.eventId())) {
            return false;
        }
        int pos = events.size();
        while (pos > 0 && events.get(pos - 1).timeMs() > event.timeMs()) {
            pos--;
        }
        if (pos == events.size() && eventSessionId != null) {
            // Only the newest event moves the session on; a late event must not rewind it.
            if (sessionId != null && !sessionId.equals(eventSessionId)) {
                purchasedInSession.clear();
            }
            sessionId = eventSessionId;
        }
        events.add(pos, event);
        while (events.size() > maxLength) {
            evictedIds.addLast(EventIdDigest.of(events.remove(0).eventId()));
        }
        while (evictedIds.size() > maxLength) {
            evictedIds.removeFirst();
        }
        return true;
    }

    private boolean contains(String eventId) {
        for (BehaviorEvent e : events) {
            if (e.eventId().equals(eventId)) {
                return true;
            }
        }
        if (evictedIds.isEmpty()) {
            return false;
        }
        return evictedIds.contains(EventIdDigest.of(eventId));
    }

    /**
     * ADD: quantities add up, saturating at {@code maxQuantity} (the ingest limit for one line, so
     * repeated adds cannot overflow int); the newest unit price wins. A new item in a full cart
     * drops the oldest line, as the newest lines say more about what the shopper wants now.
     */
    public void addToCart(String itemId, int quantity, BigDecimal unitPrice, int maxQuantity) {
        CartItem old = cart.get(itemId);
        if (old == null) {
            while (cart.size() >= MAX_CART_ITEMS) {
                cart.remove(cart.keySet().iterator().next());
            }
            cart.put(itemId, new CartItem(itemId, Math.min(quantity, maxQuantity), unitPrice));
            return;
        }
        int merged = (int) Math.min((long) old.quantity() + quantity, maxQuantity);
        cart.put(itemId, new CartItem(itemId, merged, unitPrice));
    }

    public void removeFromCart(String itemId, int quantity) {
        CartItem old = cart.get(itemId);
        if (old == null) {
            return;
        }
        int left = old.quantity() - quantity;
        if (left <= 0) {
            cart.remove(itemId);
        } else {
            cart.put(itemId, new CartItem(itemId, left, old.unitPrice()));
        }
    }

    /** CHECKOUT buys the listed lines, or the whole cart when the event lists none. */
    public void checkout(List<String> boughtItemIds) {
        List<String> bought = boughtItemIds.isEmpty() ? new ArrayList<>(cart.keySet()) : boughtItemIds;
        for (String id : bought) {
            purchasedInSession.remove(id);
            purchasedInSession.add(id);
        }
        while (purchasedInSession.size() > MAX_PURCHASED) {
            purchasedInSession.remove(purchasedInSession.iterator().next());
        }
        cart.clear();
    }

    public List<BehaviorEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The newest event by event time (the one a trigger is attributed to), or null. */
    public BehaviorEvent newest() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    public Map<String, CartItem> cart() {
        return Collections.unmodifiableMap(cart);
    }

    public Set<String> purchasedInSession() {
        return Collections.unmodifiableSet(purchasedInSession);
    }

    public String sessionId() {
        return sessionId;
    }

    public String currency() {
        return currency;
    }

    public void currency(String currency) {
        if (currency != null && !currency.isBlank()) {
            this.currency = currency;
        }
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    public void lastSeenMs(long lastSeenMs) {
        this.lastSeenMs = lastSeenMs;
    }

    /** The trigger state of a sequence stored before format 5 (other than the initial one), or null. */
    public LegacyTrigger legacyTrigger() {
        return legacyTrigger;
    }

    /** Forgets the legacy trigger state once it is stored with the outputs; true if there was one. */
    public boolean dropLegacyTrigger() {
        boolean had = legacyTrigger != null;
        legacyTrigger = null;
        return had;
    }

    /**
     * Counts an accepted event (its record timestamp kept for latency metrics). A score stores the
     * count it covered beside its outputs, so a score is owed while {@code accepted()} exceeds it:
     * scoring writes nothing here, and the owed set is rebuilt from the stores after a restart.
     */
    public void accept(long recordTs) {
        accepted++;
        lastRecordTs = recordTs;
    }

    public long accepted() {
        return accepted;
    }

    public long lastRecordTs() {
        return lastRecordTs;
    }

    /** A new sequence continues the count of outputs an earlier one left (e.g. deleted as undecodable). */
    public void continueCountFrom(long scoredThrough) {
        accepted = Math.max(accepted, scoredThrough);
    }

    /** True once the cart of the current idle period (since lastSeenMs) was checked. */
    public boolean abandonmentChecked() {
        return abandonmentCheckedAtMs == lastSeenMs;
    }

    public void markAbandonmentChecked() {
        abandonmentCheckedAtMs = lastSeenMs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BehaviorSequence s)) {
            return false;
        }
        return lastSeenMs == s.lastSeenMs && java.util.Objects.equals(legacyTrigger, s.legacyTrigger)
                && accepted == s.accepted
                && lastRecordTs == s.lastRecordTs && abandonmentCheckedAtMs == s.abandonmentCheckedAtMs
                && java.util.Objects.equals(sessionId, s.sessionId) && currency.equals(s.currency)
                && events.equals(s.events) && List.copyOf(evictedIds).equals(List.copyOf(s.evictedIds))
                && List.copyOf(cart.values()).equals(List.copyOf(s.cart.values()))
                && List.copyOf(purchasedInSession).equals(List.copyOf(s.purchasedInSession));
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sessionId, lastSeenMs, events);
    }

    @Override
    public String toString() {
        return "BehaviorSequence{session=" + sessionId + ", events=" + events.size() + ", cart=" + cart.keySet() + '}';
    }
}
