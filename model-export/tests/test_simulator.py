import numpy as np

from intent_model import simulator
from intent_model.events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH

CFG = simulator.SimConfig(seed=11, n_users=150, n_items=400)


def test_seeded_determinism():
    a = simulator.simulate(CFG)[1]
    b = simulator.simulate(CFG)[1]
    c = simulator.simulate(simulator.SimConfig(seed=12, n_users=150, n_items=400))[1]
    assert a == b
    assert a != c


def test_funnel_invariants_and_time_order():
    _, events = simulator.simulate(CFG)
    carts, last_t, last_session = {}, {}, {}
    checkouts = 0
    for e in events:
        cart = carts.setdefault(e.user_id, [])
        if e.action == ADD_TO_CART:
            cart.append(e.item_id)
        elif e.action == REMOVE_FROM_CART:
            assert e.item_id in cart, "removed an item that is not in the cart"
            cart.remove(e.item_id)
        elif e.action == CHECKOUT:
            assert cart, "checkout with an empty cart"
            cart.clear()
            checkouts += 1
        if last_session.get(e.user_id) == e.session_id:
            assert e.time_ms > last_t[e.user_id], "event times must increase within a session"
        elif e.user_id in last_t:
            assert e.time_ms - last_t[e.user_id] >= 30 * 60 * 1000   # sessions are separated
        last_t[e.user_id], last_session[e.user_id] = e.time_ms, e.session_id
    assert checkouts > 10
    assert len({e.event_id for e in events}) == len(events)


def test_search_terms_belong_to_catalog_and_ground_truth_is_learnable():
    catalog, events = simulator.simulate(CFG)
    cat = catalog.to_json()
    terms = {t: c["id"] for c in cat["categories"] for t in c["terms"]}
    assert len(terms) == sum(len(c["terms"]) for c in cat["categories"])   # terms are unique
    searches = [e for e in events if e.action == SEARCH]
    matched = [any(tok in terms for tok in e.query.split()) for e in searches]
    assert np.mean(matched) > 0.8
    assert all(float(i["price"]) > 0 for i in cat["items"])
    assert abs(sum(i["popularity"] for i in cat["items"]) - 1.0) < 1e-3
