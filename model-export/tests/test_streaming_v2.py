"""Model v2 is streamable: step-by-step scoring equals a full recompute, and exports cleanly."""
import json
import os

import numpy as np
import onnx
import pytest
import torch

from intent_model import aggregates as agg
from intent_model import export_v2
from intent_model.events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW
from intent_model.features import FeatureSpace
from intent_model.model_v2 import StreamConfig, StreamingIntentModel


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(3)
    space = FeatureSpace([f"i{n}" for n in range(30)], [f"c{n}" for n in range(6)], {}, 16)
    cfg = StreamConfig(n_items=space.n_items, n_categories=space.n_categories,
                       n_gap_buckets=space.n_gap_buckets, n_aggregates=agg.N_AGGREGATES,
                       d_model=16, n_heads=2, n_layers=2, ffn_dim=24, attn_window=5, top_k=10,
                       n_transitions=4)
    model = StreamingIntentModel(cfg)
    with torch.no_grad():                   # make every learned path matter (zeros at init)
        for p in (model.item_bias, model.ptr_offset_bias, model.ptr_action_bias,
                  *(b.attn.rel_bias for b in model.blocks)):
            p.normal_(0, 1.0)
        model.trans_ids.copy_(torch.randint(3, space.n_items, model.trans_ids.shape))
        model.trans_weight.uniform_(0, 2)
        model.item_category.copy_(torch.randint(3, space.n_categories, model.item_category.shape))
        model.purchase_calibration.copy_(torch.tensor([0.8, -0.3]))
        for p in (model.action_wide.weight, model.action_prior.weight, model.action_deep_out.weight,
                  model.purchase_prior.weight,
                  model.item_purchase_prior, model.category_purchase_prior):
            p.normal_(0, 0.5)
    return model.eval(), space


def test_receptive_field_is_layers_times_window_minus_one_plus_one(tiny):
    model, _ = tiny
    assert model.cfg.receptive_field == 2 * (5 - 1) + 1


def test_step_by_step_equals_full_recompute(tiny):
    model, space = tiny
    rng = np.random.RandomState(0)
    steps = export_v2._random_user(rng, space, 25)     # longer than the store (16) and R (9)
    _, _, by_step, by_recompute = export_v2.replay(model, space, steps, stored=space.max_seq_len)
    worst = 0.0
    for a, b in zip(by_step, by_recompute):
        for x, y in zip(a, b):
            if x.dtype == torch.long:
                assert torch.equal(x, y)
            else:
                worst = max(worst, float((x - y).abs().max()))
    assert worst <= 1e-5


def test_hidden_states_of_earlier_events_never_change(tiny):
    model, _ = tiny
    x = {k: torch.randint(3, 9, (1, 12)) for k in ("action_ids", "item_ids", "category_ids",
                                                   "gap_buckets")}
    x["action_ids"] = x["action_ids"] % 5 + 1
    with torch.no_grad():
        h_long, _ = model.encode(**x)
        h_short, _ = model.encode(**{k: v[:, :7] for k, v in x.items()})
        # Left padding (serving) gives the same states as no padding.
        padded = {k: torch.cat([torch.zeros(1, 3, dtype=torch.long), v], 1) for k, v in x.items()}
        h_pad, _ = model.encode(**padded)
    np.testing.assert_allclose(h_long[:, :7].numpy(), h_short.numpy(), atol=1e-6)
    np.testing.assert_allclose(h_pad[:, 3:].numpy(), h_long.numpy(), atol=1e-6)


def test_score_depends_only_on_the_newest_receptive_field(tiny):
    model, _ = tiny
    R = model.cfg.receptive_field
    g = torch.Generator().manual_seed(5)
    x = {k: torch.randint(3, 9, (1, R + 6), generator=g) for k in ("item_ids", "category_ids",
                                                                  "gap_buckets")}
    x["action_ids"] = torch.randint(1, 5, (1, R + 6), generator=g)
    y = {k: v.clone() for k, v in x.items()}
    y["item_ids"][0, :6] = 3                   # change only events older than the newest R
    with torch.no_grad():
        hx, _ = model.encode(**x)
        hy, _ = model.encode(**y)
    np.testing.assert_allclose(hx[:, -1].numpy(), hy[:, -1].numpy(), atol=1e-6)
    assert not torch.allclose(hx[:, 6], hy[:, 6])


def test_window_items_are_ranked_newest_first_with_the_models_scores(tiny):
    model, _ = tiny
    R = model.cfg.receptive_field
    g = torch.Generator().manual_seed(9)
    items = torch.randint(3, 9, (6, R), generator=g)          # repeats in every window
    items[:, :2] = 0                                          # left padding
    items[0, -1] = 1                                          # newest event without an item
    acts = torch.where(items > 0, torch.randint(1, 5, (6, R), generator=g), torch.zeros_like(items))
    cats = torch.where(items > 0, torch.randint(3, 6, (6, R), generator=g), torch.zeros_like(items))
    z = torch.randn(6, 2 * model.cfg.d_model, generator=g)
    with torch.no_grad():
        model.cfg.recency_order = False
        plain = model.item_logits(z, acts, items, cats)
        model.cfg.recency_order = True
        ordered = model.item_logits(z, acts, items, cats)
    for b in range(6):
        newest_first = list(dict.fromkeys(i for i in items[b].tolist()[::-1] if i >= 3))
        # The window's items hold the same scores as before, now in recency order ...
        np.testing.assert_allclose(ordered[b, newest_first].numpy(),
                                   np.sort(plain[b, newest_first].numpy())[::-1], atol=1e-5)
        # ... and every other item keeps its score.
        rest = [i for i in range(model.cfg.n_items) if i not in newest_first]
        assert torch.equal(ordered[b, rest], plain[b, rest])


def test_category_continuity_reads_the_newest_known_category_even_when_its_item_is_unknown(tiny):
    """A short log's newest item is mostly outside the vocabulary; its category still counts."""
    import copy
    model = copy.deepcopy(tiny[0])
    R = model.cfg.receptive_field
    cat_of = model.item_category
    old_item = 4
    old_cat = int(cat_of[old_item])
    new_cat = next(c for c in range(3, model.cfg.n_categories) if c != old_cat)
    items = torch.zeros(1, R, dtype=torch.long)
    cats, acts = torch.zeros_like(items), torch.zeros_like(items)
    items[0, -2:] = torch.tensor([old_item, 1])           # then an item outside the vocabulary (OOV)
    cats[0, -2:] = torch.tensor([old_cat, new_cat])
    acts[0, -2:] = 1
    z = torch.randn(1, 2 * model.cfg.d_model, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        model.prior_scales.bias[1] = 0.0
        before = model.item_logits(z, acts, items, cats)
        model.prior_scales.bias[1] = 4.0
        after = model.item_logits(z, acts, items, cats)
    rest = [i for i in range(3, model.cfg.n_items) if i != old_item]
    diff = (after - before)[0, rest]
    expected = 4.0 * (cat_of[rest] == new_cat).float()
    assert (cat_of[rest] == new_cat).any() and (cat_of[rest] == old_cat).any()
    np.testing.assert_allclose(diff.numpy(), expected.numpy(), atol=1e-5)


def test_aggregates_follow_their_definition():
    S = agg.Step
    t = 1_000_000
    w = [S(VIEW, 5, 3, t, 10.0), S(ADD_TO_CART, 5, 3, t + 1000, 10.0), S(CHECKOUT, 2, 2, t + 2000, 0),
         S(VIEW, 6, 4, t + 3_600_000, 4.0), S(ADD_TO_CART, 6, 4, t + 3_601_000, 4.0),
         S(SEARCH, 2, 4, t + 3_602_000, 0), S(REMOVE_FROM_CART, 7, 4, t + 3_603_000, 1.0),
         S(VIEW, 6, 4, t + 3_610_000, 4.0)]
    got = dict(zip(agg.NAMES, np.expm1(agg.prefix_aggregates(w)).round(6)))
    assert got["session_views"] == 2 and got["session_adds"] == 1 and got["session_searches"] == 1
    assert got["session_removes"] == 1 and got["session_checkouts"] == 0
    assert got["session_events"] == 5 and got["session_duration_s"] == 10.0
    assert got["seconds_since_previous_event"] == 7.0
    assert got["cart_lines"] == 0 and got["cart_value"] == 3.0       # carts survive sessions
    assert got["current_item_seen_before"] == 2 and got["current_category_seen_before"] == 4
    assert got["checkouts_before_session"] == 1 and got["sessions_before"] == 1
    assert got["events_before_session"] == 3


def test_export_writes_three_graphs_sidecar_and_fixtures(tiny, tmp_path):
    model, space = tiny
    side = export_v2.export_all(model, space, str(tmp_path), {"training_data": {"source": "test"}},
                                log=lambda *_: None)
    scores = export_v2.SCORE_OUTPUTS + export_v2.CACHE_OUTPUTS
    for name, inputs, outputs in (("prefill.onnx", export_v2.PREFILL_INPUTS, scores),
                                  ("step.onnx", export_v2.STEP_INPUTS, scores),
                                  ("recommend.onnx", export_v2.RECOMMEND_INPUTS, export_v2.RECOMMEND_OUTPUTS)):
        m = onnx.load(str(tmp_path / name))
        assert [i.name for i in m.graph.input] == inputs
        assert [o.name for o in m.graph.output] == outputs
        assert m.opset_import[0].version == 17
        # The version sits in every graph's metadata.
        meta = {p.key: p.value for p in m.metadata_props}
        assert meta["model_version"] == side["model_version"] and meta["format_version"] == "3"
    assert side["aggregates"]["names"] == agg.NAMES and side["receptive_field"] == 9
    assert side["model_version"].startswith("stream-") and side["format_version"] == 3
    # The next-item head is only in `recommend`: a step never scores the catalogue.
    step_ops = {n.op_type for n in onnx.load(str(tmp_path / "step.onnx")).graph.node}
    assert "TopK" not in step_ops and "TopK" in {n.op_type for n in onnx.load(str(tmp_path / "recommend.onnx")).graph.node}
    assert json.load(open(tmp_path / export_v2.RAW_FIXTURES_FILE))[0]["name"] == "normal_session"
    fx = json.load(open(tmp_path / export_v2.PARITY_FILE))
    assert [len(u["outputs"]) for u in fx["users"]] == [3, 9 + 12]
    # The fixture outputs are the step path; a recompute from the stored events agrees.
    u = fx["users"][1]
    _, _, _, rec = export_v2.replay(model, space, u["events"], fx["stored_events"])
    for want, got in zip(u["outputs"], rec):
        np.testing.assert_allclose(want["purchase_prob"], got[1].numpy()[0], atol=1e-4)
        np.testing.assert_allclose(np.array(want["topk_scores"]), got[2].numpy()[0], atol=1e-4)
        assert want["topk_item_ids"] == got[3].numpy()[0].tolist()
        np.testing.assert_allclose(np.array(want["attention"]), got[4].numpy()[0], atol=1e-4)
    # Influences: the newest event's last-layer attention over its window of W = 5 slots.
    first = fx["users"][0]["outputs"]
    assert all(len(o["attention"]) == 5 and abs(sum(o["attention"]) - 1) < 1e-5 for o in first)
    assert first[0]["attention"][:4] == [0.0] * 4     # one event: nothing older to attend to
