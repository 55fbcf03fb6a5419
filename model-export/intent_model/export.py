"""ONNX export (opset 17), sidecar JSON, parity fixtures and raw-event fixtures.

model_version = "sasrec-<yyyymmdd>-<hash8>": hash8 = first 8 hex of sha256 over the ONNX model
serialized WITHOUT metadata_props (the version itself lives in the metadata). The date is the
UTC build date, or SOURCE_DATE_EPOCH when set (reproducible builds).
"""
import datetime
import hashlib
import json
import os
from collections import Counter
from typing import List

import numpy as np
import onnx
import torch

from .events import ACTIONS, CHECKOUT, NEXT_ACTIONS
from .features import (FIRST_ID, NONE_ID, OOV_ID, FeatureSpace, tokenize, window_from_records)

ONNX_NAME, SIDECAR_NAME = "intent-model.onnx", "intent-model.json"
INPUTS = ["action_ids", "item_ids", "category_ids", "gap_buckets", "lengths"]
OUTPUTS = ["next_action_probs", "purchase_prob", "topk_scores", "topk_item_ids", "attention"]
OPSET = 17


def export_all(model, space: FeatureSpace, out_dir, training_summary, popular_items,
               train_cfg=None, log=print) -> dict:
    model.eval()
    onnx_path = os.path.join(out_dir, ONNX_NAME)
    k = min(model.cfg.top_k, model.cfg.n_items - 3)
    version = export_onnx(model, onnx_path)
    sidecar = dict(
        format_version=1, model_version=version, top_k=k,
        inputs={n: n for n in INPUTS}, outputs={n: n for n in OUTPUTS},
        next_actions=list(NEXT_ACTIONS), popular_items=list(popular_items),
        training_data=training_summary, onnx_file=ONNX_NAME, opset=OPSET,
        model_version_hash="sha256 of the ONNX ModelProto serialized with metadata_props cleared",
        model_config=model.cfg.__dict__, train_config=train_cfg, **space.sidecar_parts())
    metadata = {"format_version": "1", "model_version": version,
                "max_seq_len": str(space.max_seq_len), "top_k": str(k),
                "actions": json.dumps(ACTIONS), "next_actions": json.dumps(NEXT_ACTIONS),
                "input_spec": json.dumps({n: {"dtype": "int64", "shape": ["batch", "seq"]
                                              if n != "lengths" else ["batch"]} for n in INPUTS}),
                "training_data": json.dumps(training_summary, sort_keys=True)}
    m = onnx.load(onnx_path)
    onnx.helper.set_model_props(m, metadata)
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, onnx_path)
    with open(os.path.join(out_dir, SIDECAR_NAME), "w") as f:
        json.dump(sidecar, f, indent=1)
    with open(os.path.join(out_dir, "parity-fixtures.json"), "w") as f:
        json.dump(parity_fixtures(model, space), f)
    with open(os.path.join(out_dir, "raw-event-fixtures.json"), "w") as f:
        json.dump(raw_event_fixtures(space), f, indent=1)
    size = os.path.getsize(onnx_path)
    log(f"exported {onnx_path} ({size / 1e6:.2f} MB), version {version}")
    return {"model_version": version, "onnx_bytes": size}


def export_onnx(model, path) -> str:
    L = model.cfg.max_seq_len
    dummy = tuple(torch.full((2, L), v, dtype=torch.long) for v in (1, 3, 3, 2)) + \
        (torch.tensor([L, 3]),)
    axes = {n: {0: "batch", 1: "seq"} for n in INPUTS[:4]}
    axes.update(lengths={0: "batch"}, next_action_probs={0: "batch"}, purchase_prob={0: "batch"},
                topk_scores={0: "batch"}, topk_item_ids={0: "batch"},
                attention={0: "batch", 1: "seq"})
    with torch.no_grad():
        torch.onnx.export(model, dummy, path, input_names=INPUTS, output_names=OUTPUTS,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    assert_single_item_table(m, model.cfg.n_items, model.cfg.d_model)
    del m.metadata_props[:]
    digest = hashlib.sha256(m.SerializeToString()).hexdigest()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%d")
    return f"sasrec-{day}-{digest[:8]}"


def assert_single_item_table(m: onnx.ModelProto, n_items: int, d: int) -> None:
    """Constant folding of a transposed table would store the item embedding twice."""
    shapes = [tuple(t.dims) for t in m.graph.initializer]
    tables = [s for s in shapes if s in ((n_items, d), (d, n_items))]
    assert len(tables) == 1, f"expected one item table, found {tables}"


# ---- parity fixtures: PyTorch eval outputs that Java/ORT must reproduce within 1e-4 ------
def _random_steps(rng, space, length, S):
    """Plausible steps: searches/checkouts carry the none item, like the feature mapping."""
    a = rng.choice([1, 1, 1, 2, 3, 4, 5], size=length)
    it = rng.randint(FIRST_ID, space.n_items, size=length)
    cat = rng.randint(FIRST_ID, space.n_categories, size=length)
    it[(a == 2) | (a == 5)] = NONE_ID
    cat[a == 5] = NONE_ID
    gap = rng.randint(2, space.n_gap_buckets, size=length)
    gap[0] = 1
    pad = S - length
    return [np.r_[v, np.zeros(pad, dtype=np.int64)].tolist() for v in (a, it, cat, gap)]


def _case(model, space, name, rows, S):
    inputs = {n: [] for n in INPUTS}
    for r in rows:
        a, it, cat, gap = r
        for n, v in zip(INPUTS, (a, it, cat, gap)):
            inputs[n].append(v)
        inputs["lengths"].append(int(np.count_nonzero(a)))
    with torch.no_grad():
        outs = model(**{n: torch.tensor(v, dtype=torch.long) for n, v in inputs.items()})
    return {"name": name, "inputs": inputs,
            "outputs": {n: o.tolist() for n, o in zip(OUTPUTS, outs)}}


def parity_fixtures(model, space) -> List[dict]:
    rng = np.random.RandomState(123)
    L = space.max_seq_len
    cases = [_case(model, space, "batch1_length7", [_random_steps(rng, space, 7, 7)], 7)]
    lens = [1, min(5, L), L, min(20, L - 1)]
    cases.append(_case(model, space, "mixed_lengths_padded_to_L",
                       [_random_steps(rng, space, n, L) for n in lens], L))
    S = max(2, min(10, L - 1))
    cases.append(_case(model, space, f"padded_to_S{S}_less_than_L",
                       [_random_steps(rng, space, n, S) for n in (S, 3, max(1, S - 3))], S))
    oov = _random_steps(rng, space, 6, 6)
    oov[1][1:4] = [OOV_ID] * 3
    oov[2][2] = OOV_ID
    cases.append(_case(model, space, "oov_items_and_category", [oov], 6))
    none = _random_steps(rng, space, 5, 5)
    none[0][:] = [1, 2, 1, 3, 1]
    none[1][:] = [NONE_ID, NONE_ID, NONE_ID, FIRST_ID, NONE_ID]
    none[2][:] = [NONE_ID, FIRST_ID, NONE_ID, FIRST_ID, NONE_ID]
    cases.append(_case(model, space, "none_items_home_and_search", [none], 5))
    cases.append(_case(model, space, "length1", [_random_steps(rng, space, 1, 1)], 1))
    cases.append(_case(model, space, "lengthL", [_random_steps(rng, space, L, L)], L))
    return cases


# ---- raw-event fixtures: Kafka records in arrival order -> expected unpadded steps -------
class _Records:
    """Builds Avro-shaped record values with every field present (nulls as None)."""

    def __init__(self, user="u-fixture"):
        self.user, self.n, self.records = user, 0, []

    def _common(self, t, event_id=None):
        self.n += 1
        return {"event_id": event_id or f"fx-{self.n:04d}", "user_id": self.user,
                "session_id": "s-fixture", "event_time": int(t), "device": "web", "channel": None}

    def browse(self, t, item, category, page="PRODUCT", event_id=None, price="19.99"):
        v = dict(self._common(t, event_id), page_type=page, item_id=item, category_id=category,
                 price=price if item else None)
        self.records.append({"topic": "shop.browse.v1", "value": v})
        return self

    def search(self, t, query, category_filter=None, event_id=None):
        v = dict(self._common(t, event_id), query=query, result_count=12,
                 category_filter=category_filter)
        self.records.append({"topic": "shop.search.v1", "value": v})
        return self

    def cart(self, t, action, lines, event_id=None):
        v = dict(self._common(t, event_id), action=action, currency="USD",
                 items=[{"item_id": i, "category_id": c, "quantity": 1, "unit_price": "9.50"}
                        for i, c in lines],
                 order_id="o-1" if action == "CHECKOUT" else None)
        self.records.append({"topic": "shop.cart.v1", "value": v})
        return self


def raw_event_fixtures(space: FeatureSpace) -> List[dict]:
    items, cats = space.item_vocab, space.category_vocab
    i0, i1, i2 = items[0], items[1 % len(items)], items[2 % len(items)]
    c0, c1 = cats[0], cats[1 % len(cats)]
    terms = sorted(space.term_categories.items(), key=lambda tc: (space.category(tc[1]), tc[0]))
    term_a = terms[0][0] if terms else "anything"
    other = [t for t, c in terms if c != terms[0][1]] if terms else []
    term_b = other[0] if other else term_a
    t0 = 1_767_600_000_000
    cases = []

    def add(name, recs: _Records, note=""):
        cases.append({"name": name, "note": note, "events": recs.records,
                      "expected": window_from_records(recs.records, space)})

    add("normal_session", _Records().browse(t0, i0, c0).browse(t0 + 8_000, i1, c0)
        .cart(t0 + 15_000, "ADD", [(i1, c0)]).browse(t0 + 40_000, None, c1, page="CATEGORY")
        .browse(t0 + 41_000, None, None, page="HOME"))
    add("search_with_category_filter", _Records().search(t0, f"{term_a} {term_b}", c1),
        "category_filter wins over query terms")
    add("search_resolved_by_terms", _Records().search(t0, f"Cheap {term_b.upper()}!! {term_b}-{term_a}"),
        "lowercase, split on [^a-z0-9]+, most matching tokens win")
    add("search_term_tie_smallest_category_id", _Records().search(t0, f"{term_b} {term_a}"),
        "one token each -> smallest category vocab id")
    add("search_no_matching_term", _Records().search(t0, "zzqx 123"), "no match -> none_id")
    add("late_out_of_order_event", _Records().browse(t0, i0, c0).browse(t0 + 20_000, i2, c0)
        .browse(t0 + 10_000, i1, c0), "arrives last, inserted by event_time")
    add("equal_time_keeps_arrival_order", _Records().browse(t0, i0, c0).browse(t0 + 5_000, i2, c1)
        .browse(t0 + 5_000, i1, c0))
    add("duplicate_event_id_first_wins", _Records().browse(t0, i0, c0, event_id="dup-1")
        .browse(t0 + 3_000, i1, c1, event_id="dup-1").browse(t0 + 6_000, i2, c0))
    add("unknown_item_and_category", _Records().browse(t0, "no-such-item", "no-such-category")
        .cart(t0 + 2_000, "ADD", [("no-such-item", None)]))
    add("cart_add_several_lines_uses_first", _Records()
        .cart(t0, "ADD", [(i2, c1), (i0, c0), (i1, c0)]))
    add("cart_remove", _Records().cart(t0, "ADD", [(i0, c0)]).cart(t0 + 9_000, "REMOVE", [(i0, c0)]))
    add("cart_empty_items", _Records().cart(t0, "ADD", []), "no lines -> none item and category")
    add("checkout", _Records().cart(t0, "ADD", [(i0, c0)]).cart(t0 + 30_000, "CHECKOUT", [(i0, c0)]),
        "CHECKOUT carries no item or category")
    long = _Records()
    for n in range(space.max_seq_len + 7):
        long.browse(t0 + n * 4_000, items[n % len(items)], cats[n % len(cats)])
    add("longer_than_L_truncated", long, "newest L kept; first kept step gets first_event_id")
    b = _Records().browse(t0, i0, c0)
    t = t0
    for bound in space.gap_bounds_ms[:(space.max_seq_len - 1) // 2]:      # all fit in L
        for gap in (bound - 1, bound):
            t += gap
            b.browse(t, i0, c0)
    add("gap_bucket_boundaries", b, "gaps of bound-1 and exactly bound (-> next bucket)")
    return cases


# ---- helpers for real data: catalog and search terms derived from the events ------------
def catalog_from_events(timelines) -> dict:
    counts, cat_of, price_of = Counter(), {}, {}
    for tl in timelines:
        for e in tl:
            if e.item_id is not None and e.action != CHECKOUT:
                counts[e.item_id] += 1
                if e.category_id:
                    cat_of[e.item_id] = e.category_id
                if e.price:
                    price_of[e.item_id] = e.price
    total = sum(counts.values()) or 1
    top = counts.most_common(5000)
    cats = sorted({cat_of[i] for i, _ in top if i in cat_of})
    return {"categories": [{"id": c, "terms": []} for c in cats],
            "items": [{"id": i, "category": cat_of.get(i), "price": price_of.get(i, "0.00"),
                       "popularity": round(n / total, 8)} for i, n in top]}


def terms_from_events(events) -> dict:
    """Real exports have no search queries; no terms means searches map to category_filter
    or none_id, which is still exactly the serving rule."""
    return {}


__all__ = ["export_all", "tokenize"]
