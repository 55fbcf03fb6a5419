"""Tiny train -> ONNX export -> checker -> fixtures, checked against PyTorch."""
import json
import os

import numpy as np
import onnx
import pytest
import torch

from intent_model import dataset
from intent_model import export
from intent_model import simulator
from intent_model import train
from intent_model.features import FeatureSpace, window_from_records
from intent_model.model import ModelConfig

REQUIRED = ["format_version", "model_version", "max_seq_len", "top_k", "inputs", "outputs",
            "actions", "next_actions", "items", "categories", "gap_buckets", "search",
            "popular_items", "training_data"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("artifacts"))
    catalog, events = simulator.simulate(simulator.SimConfig(seed=5, n_users=80, n_items=150))
    cat = catalog.to_json()
    terms = {t: c["id"] for c in cat["categories"] for t in c["terms"]}
    timelines = dataset.order_timelines(events)
    cut = dataset.time_cutoffs(timelines)
    tc = train.TrainConfig(model=ModelConfig(max_seq_len=12, d_model=16, n_heads=2, n_layers=1,
                                             ffn_dim=32, top_k=50),
                           epochs=1, batch_size=32, stride=4)
    space = dataset.build_feature_space(timelines, cut[0], terms, tc.model.max_seq_len,
                                        min_item_count=1)
    enc = dataset.encode(timelines, space, cut)
    model = train.train_model(enc, space, tc, log=lambda *_: None)
    popular = space.item_vocab[:100]
    info = export.export_all(model, space, out, {"source": "test"}, popular, log=lambda *_: None)
    return out, model, space, info


def test_onnx_is_valid_with_named_dynamic_io(exported):
    out, model, space, info = exported
    m = onnx.load(os.path.join(out, export.ONNX_NAME))
    onnx.checker.check_model(m, full_check=True)
    assert m.opset_import[0].version == 17
    assert [i.name for i in m.graph.input] == export.INPUTS
    assert [o.name for o in m.graph.output] == export.OUTPUTS
    seq = m.graph.input[0].type.tensor_type.shape.dim
    assert seq[0].dim_param and seq[1].dim_param                     # batch and seq are dynamic
    props = {p.key: p.value for p in m.metadata_props}
    assert props["model_version"] == info["model_version"]
    assert int(props["max_seq_len"]) == space.max_seq_len
    assert json.loads(props["actions"])[0] == "PAD"
    export.assert_single_item_table(m, space.n_items, model.cfg.d_model)
    ops = {n.op_type for n in m.graph.node}
    assert "If" not in ops and "TopK" in ops and "Range" in ops


def test_model_version_is_deterministic(exported, tmp_path):
    _, model, _, info = exported
    again = export.export_onnx(model, str(tmp_path / "again.onnx"))
    assert again.split("-")[-1] == info["model_version"].split("-")[-1]
    assert len(again.split("-")[-1]) == 8


def test_sidecar_has_contract_keys(exported):
    out, _, space, info = exported
    side = json.load(open(os.path.join(out, export.SIDECAR_NAME)))
    assert all(k in side for k in REQUIRED)
    assert side["format_version"] == 1 and side["model_version"] == info["model_version"]
    assert side["actions"] == ["PAD", "VIEW", "SEARCH", "ADD_TO_CART", "REMOVE_FROM_CART", "CHECKOUT"]
    assert side["next_actions"][-1] == "END_SESSION"
    assert side["items"]["first_id"] == 3 and side["items"]["vocab"] == space.item_vocab
    assert side["top_k"] == 50 and len(side["popular_items"]) >= 100
    assert FeatureSpace.from_sidecar(side).item_index == space.item_index


def test_parity_fixtures_reproduce_and_respect_output_contract(exported):
    out, model, space, _ = exported
    cases = json.load(open(os.path.join(out, "parity-fixtures.json")))
    names = " ".join(c["name"] for c in cases)
    for needle in ("batch1", "mixed", "padded_to_S", "oov", "none", "length1", "lengthL"):
        assert needle in names
    L = space.max_seq_len
    assert any(len(c["inputs"]["action_ids"][0]) == L and len(set(c["inputs"]["lengths"])) > 1
               for c in cases)
    for c in cases:
        x = {k: torch.tensor(v) for k, v in c["inputs"].items()}
        with torch.no_grad():
            got = model(**x)
        for name, g in zip(export.OUTPUTS, got):
            np.testing.assert_allclose(g.numpy(), np.array(c["outputs"][name]), atol=1e-5)
        o = {k: np.array(v) for k, v in c["outputs"].items()}
        lengths = np.array(c["inputs"]["lengths"])
        np.testing.assert_allclose(o["next_action_probs"].sum(1), 1, atol=1e-5)
        assert ((o["purchase_prob"] > 0) & (o["purchase_prob"] < 1)).all()
        assert o["topk_scores"].shape[1] == 50 and (np.diff(o["topk_scores"], axis=1) <= 0).all()
        assert (o["topk_item_ids"] >= 3).all() and (o["topk_item_ids"] < space.n_items).all()
        att = o["attention"]
        np.testing.assert_allclose(att.sum(1), 1, atol=1e-5)
        for r, n in enumerate(lengths):
            assert (att[r, n:] == 0).all()


def test_padding_does_not_change_outputs(exported):
    _, model, _, _ = exported
    x = {"action_ids": [[1, 3, 1]], "item_ids": [[4, 4, 5]], "category_ids": [[3, 3, 4]],
         "gap_buckets": [[1, 5, 4]], "lengths": [3]}
    padded = {k: [v[0] + [0] * 4] if k != "lengths" else v for k, v in x.items()}
    with torch.no_grad():
        a = model(**{k: torch.tensor(v) for k, v in x.items()})
        b = model(**{k: torch.tensor(v) for k, v in padded.items()})
    for u, v in zip(a[:4], b[:4]):
        np.testing.assert_allclose(u.numpy(), v.numpy(), atol=1e-6)
    np.testing.assert_allclose(a[4].numpy(), b[4].numpy()[:, :3], atol=1e-6)


def test_raw_event_fixtures_cover_the_contract(exported):
    out, _, space, _ = exported
    cases = json.load(open(os.path.join(out, "raw-event-fixtures.json")))
    by = {c["name"]: c for c in cases}
    for name in ("normal_session", "search_with_category_filter", "search_resolved_by_terms",
                 "search_no_matching_term", "late_out_of_order_event",
                 "duplicate_event_id_first_wins", "unknown_item_and_category",
                 "cart_add_several_lines_uses_first", "cart_remove", "checkout",
                 "longer_than_L_truncated", "gap_bucket_boundaries"):
        c = by[name]
        assert c["expected"] == window_from_records(c["events"], space)
        assert all(r["topic"] in ("shop.browse.v1", "shop.search.v1", "shop.cart.v1")
                   for r in c["events"])
    assert by["longer_than_L_truncated"]["expected"]["length"] == space.max_seq_len
    assert by["search_no_matching_term"]["expected"]["category_ids"] == [2]
    assert by["unknown_item_and_category"]["expected"]["item_ids"] == [1, 1]
    assert by["checkout"]["expected"]["action_ids"] == [3, 5]
    gaps = by["gap_bucket_boundaries"]["expected"]["gap_buckets"]
    assert gaps[:5] == [1, 2, 3, 3, 4]          # bound-1 stays, == bound moves up


def test_pointer_generator_mixture_is_a_distribution(exported):
    _, model, space, _ = exported
    x = {"action_ids": torch.tensor([[1, 1, 1, 2], [2, 5, 0, 0]]),
         "item_ids": torch.tensor([[4, 7, 4, 2], [2, 2, 0, 0]]),
         "category_ids": torch.tensor([[3, 3, 3, 4], [3, 2, 0, 0]]),
         "gap_buckets": torch.tensor([[1, 3, 4, 5], [1, 6, 0, 0]]),
         "lengths": torch.tensor([4, 2])}
    with torch.no_grad():
        h, _, hidden = model.encode(**x)
        _, _, logits = model.logits(h)
        probs = model.item_probs(h, hidden, x["item_ids"], logits)
        p, gate = model.pointer(h.unsqueeze(1), hidden, x["item_ids"])
    np.testing.assert_allclose(probs.sum(1).numpy(), 1.0, atol=1e-5)
    assert (probs[:, :3] == 0).all()
    assert gate[1, 0] == 0                     # window without a real item: generator only
    np.testing.assert_allclose(p[0, 0, [0, 2]].sum() + p[0, 0, 1], 1.0, atol=1e-5)
    assert p[0, 0, 3] == 0                     # the search step (none item) is never pointed at
