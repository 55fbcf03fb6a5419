"""Labels the log can tell, purchase priors without leakage, and the wide next-action head."""
import numpy as np
import torch

from intent_model import dataset, purchase_priors
from intent_model import train_v2 as T
from intent_model.events import ADD_TO_CART, CHECKOUT, VIEW, Event
from intent_model.features import FeatureSpace
from intent_model.aggregates import SESSION_GAP_MS

MIN = 60 * 1000


def _space():
    return FeatureSpace(["sku-a", "sku-b", "sku-c"], ["cat-x", "cat-y"], {}, 16)


def test_next_action_is_known_only_a_session_gap_before_the_log_ends():
    end = 100 * MIN
    tl = [[Event("u", "s0", 0, VIEW, "sku-a", "cat-x", None, "1"),
           Event("u", "s1", end - SESSION_GAP_MS, VIEW, "sku-b", "cat-x", None, "2"),
           Event("u", "s1", end - SESSION_GAP_MS + 1, VIEW, "sku-b", "cat-x", None, "3"),
           Event("u", "s1", end, VIEW, "sku-c", "cat-y", None, "4")]]
    enc = dataset.encode(tl, _space(), (10 ** 12, 10 ** 13))
    # The rule reads times only: event 3's label (VIEW, which did happen) is not known either,
    # or only END_SESSION labels near the end would be dropped, and END would be under-counted.
    assert enc.action_known.tolist() == [1, 1, 0, 0]
    assert enc.next_action.tolist() == [5, 0, 0, 5]      # END (a 70 min gap), VIEW, VIEW, END


def _shoppers(n_buyers, n_lookers, t0=0):
    """Shoppers who view sku-a then buy, and shoppers who only view sku-b."""
    tls = []
    for k in range(n_buyers):
        tls.append([Event(f"b{k}", "s", t0, VIEW, "sku-a", "cat-x", None, f"b{k}1"),
                    Event(f"b{k}", "s", t0 + 1000, CHECKOUT, None, None, None, f"b{k}2")])
    for k in range(n_lookers):
        tls.append([Event(f"l{k}", "s", t0, VIEW, "sku-b", "cat-y", None, f"l{k}1"),
                    Event(f"l{k}", "s", t0 + 1000, VIEW, "sku-b", "cat-y", None, f"l{k}2")])
    return tls


def test_purchase_priors_leave_the_shoppers_own_prefixes_out():
    space = _space()
    tls = _shoppers(1, 30)
    split = {tl[0].user_id: dataset.TRAIN for tl in tls}
    enc = dataset.encode(tls, space, (0, 0), split)
    pri = purchase_priors.fit(enc, space.n_items, space.n_categories)
    a = space.step(tls[0][0])[1]
    first = 0                                   # the buyer's view of sku-a, label 1
    # The table holds the buyer's purchase; the buyer's own row must not: with them left out,
    # sku-a has no prefixes, so its row equals an unseen item's (the overall rate).
    unseen = pri.item_table[0]
    assert pri.item_table[a, 0] > unseen[0]
    np.testing.assert_allclose(pri.rows[first, :2], unseen, atol=1e-6)
    # A test-split row reads the table itself: what serving looks up.
    split[tls[0][0].user_id] = dataset.TEST
    enc2 = dataset.encode(tls, space, (0, 0), split)
    pri2 = purchase_priors.fit(enc2, space.n_items, space.n_categories)
    np.testing.assert_allclose(pri2.rows[first, :2], pri2.item_table[a], atol=1e-6)


def test_purchase_priors_rank_a_converting_item_above_a_browsed_one():
    space = _space()
    tls = _shoppers(40, 40)
    enc = dataset.encode(tls, space, (0, 0), {tl[0].user_id: dataset.TRAIN for tl in tls})
    pri = purchase_priors.fit(enc, space.n_items, space.n_categories)
    a, b = space.step(tls[0][0])[1], space.step(tls[-1][0])[1]
    assert pri.item_table[a, 0] > pri.item_table[b, 0]
    # Standardised over training rows: mean 0 per column.
    tr = enc.split == dataset.TRAIN
    np.testing.assert_allclose(pri.rows[tr].mean(0), 0, atol=1e-4)


def _tiny_model(space, data, tc):
    """A one-layer model with the training split's priors fitted (the pre-fits read them)."""
    cfg = T.StreamConfig(n_items=space.n_items, n_categories=space.n_categories,
                         n_gap_buckets=space.n_gap_buckets, n_aggregates=data.aggregates.shape[1],
                         d_model=8, n_heads=2, n_layers=1, ffn_dim=8, attn_window=3, top_k=2)
    model = T.StreamingIntentModel(cfg)
    T.fit_priors(model, data, tc)
    return model


def test_prefit_action_matches_the_training_next_action_rates():
    """The wide head alone is a fitted regression: its mean probabilities are the class rates."""
    space = _space()
    tls = []
    for k in range(60):                         # after a cart add: checkout 2 in 3 times
        buy = k % 3 != 0
        tls.append([Event(f"u{k}", "s", 0, VIEW, "sku-a", "cat-x", None, "1"),
                    Event(f"u{k}", "s", 1000, ADD_TO_CART, "sku-a", "cat-x", None, "2")]
                   + ([Event(f"u{k}", "s", 2000, CHECKOUT, None, None, None, "3")] if buy else []))
    tls.append([Event("late", "s", 10 ** 8, VIEW, "sku-c", "cat-y", None, "9")])  # log end
    data = T.Prepared(dataset.encode(tls, space, (10 ** 9, 10 ** 10)), space, 16)
    tc = T.TrainConfigV2()
    model = _tiny_model(space, data, tc)
    T.prefit_action(model, data, tc)
    carts = np.flatnonzero(data.enc.action == ADD_TO_CART)
    p = T.predict(model.eval(), data, carts, tc)["action"]
    assert abs(p[:, 4].mean() - 40 / 60) < 0.03          # CHECKOUT after a cart add
    assert abs(p[:, 5].mean() - 20 / 60) < 0.03          # END_SESSION
    assert float(model.action_head.weight.abs().sum()) == 0.0   # the network's term starts at 0
    assert torch.isfinite(model.action_wide.weight).all()


def test_prefit_action_keeps_the_mlp_where_the_session_end_is_not_monotone():
    """Sessions of 2 views end after the second, the rare ones of 4 after the fourth: P(END) by
    position is 0, 0.8, 0, 1. The aggregates move almost in step with the position, so the
    penalised linear terms cannot follow that (they give 0.67 at the third view); validation
    keeps the MLP, which can."""
    space = _space()
    tls, split = [], {}
    for k in range(150):
        n = 2 if k % 5 else 4
        tls.append([Event(f"u{k}", "s", i * 1000, VIEW, "sku-a", "cat-x", None, str(i)) for i in range(n)])
        split[f"u{k}"] = dataset.VALID if k % 3 == 0 else dataset.TRAIN
    tls.append([Event("late", "s", 10 ** 8, VIEW, "sku-c", "cat-y", None, "9")])   # log end
    split["late"] = dataset.TRAIN
    data = T.Prepared(dataset.encode(tls, space, (0, 0), split), space, 16)
    tc = T.TrainConfigV2()
    model = _tiny_model(space, data, tc)
    said = []
    T.prefit_action(model, data, tc, log=said.append)
    assert "kept MLP penalty" in said[0], said
    assert float(model.action_deep_out.weight.abs().sum()) > 0
    enc = data.enc
    pos = np.arange(len(enc.action)) - enc.session_start
    first_three = np.flatnonzero((pos <= 2) & (enc.action_known == 1))
    p_end = T.predict(model.eval(), data, first_three, tc)["action"][:, 5]
    at = {k: p_end[pos[first_three] == k].mean() for k in (0, 1, 2)}
    assert at[0] < 0.1 and at[1] > 0.7 and at[2] < 0.1, at


def test_decision_offsets_depart_from_the_majority_only_where_it_pays():
    rng = np.random.RandomState(0)
    n = 4000
    y = np.where(rng.rand(n) < 0.7, 5, 0)                  # 70% END_SESSION, 30% VIEW
    informative = np.full((n, 6), 1e-3)
    # The model knows VIEW for half of the VIEW prefixes (p 0.9), and is unsure elsewhere.
    sure = (y == 0) & (rng.rand(n) < 0.5)
    informative[:, 0] = np.where(sure, 0.9, 0.25)
    informative[:, 5] = 1 - informative[:, 0]
    off = T.action_offsets(informative, y)
    pred = (np.log(informative) + off).argmax(1)
    assert (pred[sure] == 0).mean() > 0.95 and (pred[~sure] == 5).mean() > 0.95
    # A model whose VIEW calls are coin flips loses accuracy wherever it calls VIEW: the rule
    # falls back to the majority class everywhere.
    noisy = np.full((n, 6), 1e-3)
    noisy[:, 0] = np.where(rng.rand(n) < 0.3, 0.6, 0.2)
    noisy[:, 5] = 1 - noisy[:, 0]
    pred = (np.log(noisy) + T.action_offsets(noisy, y)).argmax(1)
    assert (pred == 5).all()


def test_the_purchase_priors_kept_are_those_that_predict_on_held_out_training_shoppers():
    """Purchases follow the category, not the item: cross-validation keeps the category prior."""
    rng = np.random.RandomState(1)
    items = [f"sku-{k}" for k in range(400)]
    space = FeatureSpace(items, ["cat-hot", "cat-cold"], {}, 16)
    tls = []
    for k in range(400):
        hot = k % 2 == 0
        ev = [Event(f"u{k}", "s", 0, VIEW, items[k], "cat-hot" if hot else "cat-cold", None, "1")]
        if rng.rand() < (0.6 if hot else 0.05):
            ev.append(Event(f"u{k}", "s", 1000, CHECKOUT, None, None, None, "2"))
        tls.append(ev)
    split = {tl[0].user_id: dataset.TRAIN for tl in tls}
    data = T.Prepared(dataset.encode(tls, space, (0, 0), split), space, 16)
    tc = T.TrainConfigV2()
    model = _tiny_model(space, data, tc)
    T.prefit_purchase(model, data, tc, log=lambda *_: None)
    assert model.purchase_prior_mask[2:].tolist() == [1.0, 1.0]
    assert float(model.purchase_prior.weight[0, 2]) > 0          # a hot category raises P(buy)


def test_a_fallback_head_replaces_the_trained_one_only_when_it_scores_higher():
    layer = torch.nn.Linear(1, 1)
    with torch.no_grad():
        layer.weight.fill_(2.0)
    fallback = {"weight": torch.tensor([[5.0]])}
    # Higher weight scores higher: the fallback (5) wins over the trained (2).
    full, simple = T._fallback_if_better(layer, fallback, lambda: float(layer.weight))
    assert (full, simple) == (2.0, 5.0) and float(layer.weight) == 5.0
    # Lower weight scores higher: the trained parameters are restored.
    with torch.no_grad():
        layer.weight.fill_(2.0)
    full, simple = T._fallback_if_better(layer, fallback, lambda: -float(layer.weight))
    assert (full, simple) == (-2.0, -5.0) and float(layer.weight) == 2.0


def _next_item_log():
    """Shoppers view sku-0 then sku-1 (the only next item); 40 train, 20 validation shoppers."""
    items = [f"sku-{k}" for k in range(30)]
    space = FeatureSpace(items, ["cat-x", "cat-y"], {}, 16)
    tls, split = [], {}
    for k in range(60):
        u = f"u{k}"
        tls.append([Event(u, "s", 0, VIEW, "sku-0", "cat-x", None, "1"),
                    Event(u, "s", 1000, VIEW, "sku-1", "cat-x", None, "2")])
        split[u] = dataset.TRAIN if k < 40 else dataset.VALID
    return space, T.Prepared(dataset.encode(tls, space, (0, 0), split), space, 16)


def test_the_item_embedding_term_is_dropped_only_where_validation_ranks_better_without_it():
    space, data = _next_item_log()
    tc = T.TrainConfigV2()
    model = _tiny_model(space, data, tc).eval()
    valid = np.flatnonzero((data.enc.split == dataset.VALID) & (data.enc.next_item >= 3))

    def ndcg():
        r = T.predict(model, data, valid, tc)["rank"]
        return float(np.mean(np.where(r < 10, 1 / np.log2(r + 2.0), 0)))
    # No embedding term at all: with and without tie, so the trained model is kept.
    with torch.no_grad():
        model.item_query.weight.zero_()
        model.item_query.bias.zero_()
    T.choose_generator(model, data, valid, tc, log=lambda *_: None)
    assert float(model.generator_scale) == 1.0
    # An embedding term that buries the popular next item (sku-1) below every other: dropped.
    with torch.no_grad():
        q = torch.ones(model.cfg.d_model)
        model.item_query.bias.copy_(q)                   # the same query whatever the context
        model.item_emb.weight[3:] = q
        model.item_emb.weight[space.item("sku-1")] = -q
        model.item_bias.mul_(0.01)
    buried = ndcg()
    T.choose_generator(model, data, valid, tc, log=lambda *_: None)
    assert float(model.generator_scale) == 0.0 and ndcg() > buried
