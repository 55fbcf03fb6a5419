import numpy as np

from intent_model import dataset
from intent_model import simulator
from intent_model.events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW, Event
from intent_model.features import (DEFAULT_GAP_BOUNDS_MS, FeatureSpace, event_from_record, order_events,
                      tokenize, window_from_records)

TERMS = {"phone": "cat-y", "android": "cat-y", "shoes": "cat-x", "boots": "cat-x", "tv": "cat-z",
         "ghost": "cat-not-in-vocab"}


def space(L=4):
    # item ids: sku-a=3 sku-b=4 sku-c=5 ; category ids: cat-x=3 cat-y=4 cat-z=5
    return FeatureSpace(["sku-a", "sku-b", "sku-c"], ["cat-x", "cat-y", "cat-z"], TERMS, L)


def ev(t, action=VIEW, item="sku-a", cat="cat-x", eid=None, query=None):
    return Event("u", "s", t, action, item, cat, query, eid or f"e{t}")


def test_gap_buckets_at_boundaries():
    sp, b = space(), DEFAULT_GAP_BOUNDS_MS
    assert sp.gap_bucket(0) == 2
    assert sp.gap_bucket(b[0] - 1) == 2
    assert sp.gap_bucket(b[0]) == 3                     # gap == bound goes to the next bucket
    assert sp.gap_bucket(b[3]) == 2 + 4
    assert sp.gap_bucket(b[-1] - 1) == 2 + len(b) - 1
    assert sp.gap_bucket(b[-1]) == 2 + len(b)
    assert sp.gap_bucket(10 ** 13) == 2 + len(b)
    assert sp.n_gap_buckets == 3 + len(b)


def test_search_category_rule():
    sp = space()
    assert tokenize("Cheap iPhone-15, ANDROID!!") == ["cheap", "iphone", "15", "android"]
    assert sp.search_category("phone shoes", "cat-z") == 5       # filter wins
    assert sp.search_category("phone", "cat-unknown") == 1       # unknown filter -> OOV
    assert sp.search_category("Phone ANDROID shoes", None) == 4  # most matching tokens
    assert sp.search_category("shoes phone", None) == 3          # tie -> smallest vocab id
    assert sp.search_category("tv!!phone", None) == 4
    assert sp.search_category("boots boots tv", None) == 3       # repeated tokens count twice
    assert sp.search_category("nothing here", None) == 2         # no match -> none
    assert sp.search_category(None, None) == 2
    assert sp.search_category("ghost", None) == 2                # term to unknown category dropped
    assert "ghost" not in sp.term_categories


def test_oov_and_none_mapping():
    sp = space()
    assert sp.step(ev(0, item="sku-b", cat="cat-y")) == (VIEW, 4, 4)
    assert sp.step(ev(0, item="nope", cat="nope")) == (VIEW, 1, 1)
    assert sp.step(ev(0, item=None, cat=None)) == (VIEW, 2, 2)
    assert sp.step(ev(0, action=SEARCH, item=None, cat=None, query="tv")) == (SEARCH, 2, 5)
    assert sp.step(ev(0, action=CHECKOUT, item="sku-a", cat="cat-x")) == (CHECKOUT, 2, 2)
    assert sp.step(ev(0, action=REMOVE_FROM_CART, item="sku-c")) == (REMOVE_FROM_CART, 5, 3)


def test_truncation_keeps_newest_L_and_restarts_gaps():
    sp = space(L=4)
    events = [ev(i * 1000, item=["sku-a", "sku-b", "sku-c"][i % 3]) for i in range(6)]
    w = sp.window(events)
    assert w["length"] == 4
    assert w["item_ids"] == [5, 3, 4, 5]                          # events 2..5
    assert w["gap_buckets"] == [1, 2, 2, 2]                       # 1000 ms < 2000 ms bound


def record(topic, eid, t, **fields):
    value = {"event_id": eid, "user_id": "u", "session_id": "s", "event_time": t}
    value.update(fields)
    return {"topic": topic, "value": value}


def test_dedup_first_arrival_wins_and_late_events_inserted_in_place():
    sp = space()
    recs = [record("shop.browse.v1", "a", 1000, item_id="sku-a", category_id="cat-x"),
            record("shop.browse.v1", "b", 9000, item_id="sku-b", category_id="cat-x"),
            record("shop.browse.v1", "a", 500, item_id="sku-c", category_id="cat-z"),   # dup id
            record("shop.browse.v1", "c", 4000, item_id="sku-c", category_id="cat-y"),  # late
            record("shop.browse.v1", "d", 9000, item_id="sku-a", category_id="cat-y")]  # tie
    w = window_from_records(recs, sp)
    assert w["item_ids"] == [3, 5, 4, 3]
    assert w["category_ids"] == [3, 4, 3, 4]
    assert w["gap_buckets"] == [1, sp.gap_bucket(3000), sp.gap_bucket(5000), 2]
    assert [e.event_id for e in order_events([event_from_record(**r) for r in recs])] == \
        ["a", "c", "b", "d"]


def test_cart_first_line_and_checkout():
    lines = [{"item_id": "sku-b", "category_id": "cat-y", "quantity": 1, "unit_price": "1.00"},
             {"item_id": "sku-a", "category_id": "cat-x", "quantity": 3, "unit_price": "2.00"}]
    add = event_from_record("shop.cart.v1", record("shop.cart.v1", "x", 1, action="ADD",
                                                   items=lines)["value"])
    assert (add.action, add.item_id, add.category_id) == (ADD_TO_CART, "sku-b", "cat-y")
    empty = event_from_record("shop.cart.v1", record("shop.cart.v1", "y", 1, action="REMOVE",
                                                     items=[])["value"])
    assert space().step(empty) == (REMOVE_FROM_CART, 2, 2)
    co = event_from_record("shop.cart.v1", record("shop.cart.v1", "z", 1, action="CHECKOUT",
                                                  items=lines)["value"])
    assert space().step(co) == (CHECKOUT, 2, 2)


def test_training_windows_equal_serving_windows():
    """dataset.windows (training/eval) must build exactly what the serving rules build."""
    _, events = simulator.simulate(simulator.SimConfig(seed=3, n_users=20, n_items=200))
    timelines = dataset.order_timelines(events)
    cut = dataset.time_cutoffs(timelines)
    sp = dataset.build_feature_space(timelines, cut[0], {"phone": "cat-01"}, max_seq_len=8)
    enc = dataset.encode(timelines, sp, cut)
    flat = [e for tl in timelines for e in tl]
    rng = np.random.RandomState(0)
    ends = rng.choice(len(flat), 60, replace=False)
    batch = dataset.windows(enc, ends, 8)
    for r, end in enumerate(ends):
        user_events = [e for e in flat[:end + 1] if e.user_id == flat[end].user_id]
        w = sp.window(user_events)
        n = w["length"]
        assert batch["lengths"][r] == n
        for key in ("action_ids", "item_ids", "category_ids", "gap_buckets"):
            assert batch[key][r, :n].tolist() == w[key]
            assert (batch[key][r, n:] == 0).all()


def test_training_targets():
    sp = space()
    tl = [[Event("u", "s1", 0, VIEW, "sku-a", "cat-x", None, "1"),
           Event("u", "s1", 1000, ADD_TO_CART, "sku-a", "cat-x", None, "2"),
           Event("u", "s1", 2000, VIEW, "unknown", "cat-x", None, "3"),
           Event("u", "s1", 3000, CHECKOUT, None, None, None, "4"),
           Event("u", "s2", 10 ** 9, VIEW, "sku-b", "cat-y", None, "5")]]
    enc = dataset.encode(tl, sp, (10 ** 10, 10 ** 11))
    assert enc.next_action.tolist() == [2, 0, 4, 5, 5]   # ADD, VIEW, CHECKOUT, END, END
    assert enc.purchase.tolist() == [1, 1, 1, 0, 0]
    assert enc.next_item.tolist() == [3, -1, -1, 4, -1]  # OOV / none targets are skipped
