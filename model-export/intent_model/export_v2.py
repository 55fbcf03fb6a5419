"""Export of model v2 for streaming serving: prefill, step and recommend graphs, sidecar, fixtures.

The files of one model version (the Java app packages `artifacts/`; SERVING_V2.md is the
contract):

- prefill (cold user, or a cache rebuilt after restart/eviction/model swap): the stored events
  of one user per row, LEFT-padded, plus the newest event's aggregates -> scores, the newest
  event's hidden state and the K/V cache.
- step (warm user, one new event): the cache, the number of earlier events, the new event's ids,
  gap bucket and aggregates -> the same outputs and the updated cache.
- recommend (only when a shopper's recommendation is due): a hidden state from either graph, the
  aggregates and the newest R events as a window (the newest last) -> top-K next items. The
  next-item head scores the whole catalogue, so it is most of a step's cost (BENCHMARKS.md);
  keeping it out of step lets the app score every event and recommend on a cadence.
Parity fixtures replay users event by event through `step` + `recommend` and check every output
against a full recompute (`prefill` + `recommend` over the stored events); raw-event fixtures pin
the feature rules.

model_version = "stream-<yyyymmdd>-<hash8>": hash8 = first 8 hex of sha256 over the graphs
serialized WITHOUT metadata_props (the version itself lives in their metadata). The date is the
UTC build date, or SOURCE_DATE_EPOCH when set (reproducible builds).
"""
import datetime
import hashlib
import json
import os
from typing import List

import numpy as np
import onnx
import torch
import torch.nn as nn

from . import aggregates as agg
from . import export as export_v1
from .events import ACTIONS, NEXT_ACTIONS
from .features import FIRST_ID, NONE_ID, FeatureSpace
from .model_v2 import StreamingIntentModel

OPSET = 17
FORMAT_VERSION = 3
# attention: the last layer's head-averaged attention of the newest event over its window of W
# events [B,W], oldest first (slot W-1 = the newest event): the served "influences".
# hidden: the newest event's last-layer state [B,d], the input of `recommend`.
SCORE_OUTPUTS = ["next_action_probs", "purchase_prob", "attention", "hidden"]
CACHE_OUTPUTS = ["next_cache_k", "next_cache_v"]
PREFILL_INPUTS = ["action_ids", "item_ids", "category_ids", "gap_buckets", "aggregates"]
STEP_INPUTS = ["cache_k", "cache_v", "history_len", "action_id", "item_id", "category_id", "gap_bucket",
               "aggregates"]
RECOMMEND_INPUTS = ["hidden", "aggregates", "window_action_ids", "window_item_ids", "window_category_ids"]
RECOMMEND_OUTPUTS = ["topk_scores", "topk_item_ids"]
# What a fixture (and a parity check) compares per event: scores, then the recommendation.
OUTPUTS = ["next_action_probs", "purchase_prob", "topk_scores", "topk_item_ids", "attention"]
PREFILL_FILE, STEP_FILE, RECOMMEND_FILE = "prefill.onnx", "step.onnx", "recommend.onnx"
GRAPH_FILES = {"prefill": PREFILL_FILE, "step": STEP_FILE, "recommend": RECOMMEND_FILE}
SIDECAR_FILE, PARITY_FILE, RAW_FIXTURES_FILE = \
    "intent-model.json", "parity-fixtures.json", "raw-event-fixtures.json"


def _scores(m: StreamingIntentModel, h, aggregates, action, item, category):
    """action, item, category [B]: the newest event's ids."""
    z = m.features(h, aggregates)
    a, b = m.purchase_calibration[0], m.purchase_calibration[1]
    logit = m.purchase_logit(z, aggregates, item, category)
    return torch.softmax(m.action_logits(z, aggregates, action), dim=-1), torch.sigmoid(a * logit + b)


class Prefill(nn.Module):
    def __init__(self, model: StreamingIntentModel):
        super().__init__()
        self.m = model
        self.eval()       # the exporter restores this mode on the whole model afterwards

    def forward(self, action_ids, item_ids, category_ids, gap_buckets, aggregates):
        m, W, R = self.m, self.m.cfg.attn_window, self.m.cfg.receptive_field
        h, kv, att = m.encode(action_ids, item_ids, category_ids, gap_buckets, with_attention=True)

        def tail(t, n):                      # newest n steps of [B,(h,)S,...], left-padded with 0
            pad = torch.zeros_like(t.narrow(-2 if t.dim() == 4 else 1, 0, 1))
            pad = pad.repeat_interleave(n, dim=-2 if t.dim() == 4 else 1)
            full = torch.cat([pad, t], dim=-2 if t.dim() == 4 else 1)
            return full[:, :, -n:] if t.dim() == 4 else full[:, -n:]

        cache_k = torch.stack([tail(k, W - 1) for k, _ in kv])
        cache_v = torch.stack([tail(v, W - 1) for _, v in kv])
        return (_scores(m, h[:, -1], aggregates, action_ids[:, -1], item_ids[:, -1], category_ids[:, -1])
                + (tail(att[:, -1], W), h[:, -1], cache_k, cache_v))


class Step(nn.Module):
    def __init__(self, model: StreamingIntentModel):
        super().__init__()
        self.m = model
        self.eval()       # the exporter restores this mode on the whole model afterwards

    def forward(self, cache_k, cache_v, history_len, action_id, item_id, category_id, gap_bucket,
                aggregates):
        m = self.m
        h, new_k, new_v, att = m.step_encode(cache_k, cache_v, history_len, action_id, item_id,
                                             category_id, gap_bucket)
        return (_scores(m, h, aggregates, action_id.reshape(-1), item_id.reshape(-1),
                        category_id.reshape(-1))
                + (att, h, new_k, new_v))


class Recommend(nn.Module):
    """Top-K next items for a hidden state from prefill or step (same head code as training)."""

    def __init__(self, model: StreamingIntentModel):
        super().__init__()
        self.m = model
        self.eval()       # the exporter restores this mode on the whole model afterwards

    def forward(self, hidden, aggregates, window_action_ids, window_item_ids, window_category_ids):
        m = self.m
        z = m.features(hidden, aggregates)
        probs = torch.softmax(m.item_logits(z, window_action_ids, window_item_ids, window_category_ids), dim=-1)
        return torch.topk(probs, min(m.cfg.top_k, m.cfg.n_items - 3), dim=-1)


def export_all(model: StreamingIntentModel, space: FeatureSpace, out_dir: str, extra: dict,
               popular_items=(), log=print) -> dict:
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    cfg = model.cfg
    W, R, A = cfg.attn_window, cfg.receptive_field, cfg.n_aggregates
    hd = cfg.d_model // cfg.n_heads
    B = 2
    ids = lambda S, v: torch.full((B, S), v, dtype=torch.long)           # noqa: E731
    agg0 = torch.zeros(B, A)
    with torch.no_grad():
        pre_args = (ids(5, 1), ids(5, 3), ids(5, 3), ids(5, 2), agg0)
        batch_first = {n: {0: "batch"} for n in SCORE_OUTPUTS}
        cache_batch = {n: {1: "batch"} for n in CACHE_OUTPUTS}
        torch.onnx.export(Prefill(model), pre_args, os.path.join(out_dir, PREFILL_FILE),
                          input_names=PREFILL_INPUTS, output_names=SCORE_OUTPUTS + CACHE_OUTPUTS,
                          dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in PREFILL_INPUTS[:4]},
                                        "aggregates": {0: "batch"}, **batch_first, **cache_batch},
                          opset_version=OPSET)
        cache = torch.zeros(cfg.n_layers, B, cfg.n_heads, W - 1, hd)
        one = lambda v: torch.full((B,), v, dtype=torch.long)              # noqa: E731
        step_args = (cache, cache, torch.tensor([3, 0]), one(1), one(3), one(3), torch.tensor([4, 1]), agg0)
        torch.onnx.export(Step(model), step_args, os.path.join(out_dir, STEP_FILE),
                          input_names=STEP_INPUTS, output_names=SCORE_OUTPUTS + CACHE_OUTPUTS,
                          dynamic_axes={**{n: {1: "batch"} for n in STEP_INPUTS[:2]},
                                        **{n: {0: "batch"} for n in STEP_INPUTS[2:]},
                                        **batch_first, **cache_batch},
                          opset_version=OPSET)
        rec_args = (torch.zeros(B, cfg.d_model), agg0, ids(R, 1), ids(R, 3), ids(R, 3))
        torch.onnx.export(Recommend(model), rec_args, os.path.join(out_dir, RECOMMEND_FILE),
                          input_names=RECOMMEND_INPUTS, output_names=RECOMMEND_OUTPUTS,
                          dynamic_axes={n: {0: "batch"} for n in RECOMMEND_INPUTS + RECOMMEND_OUTPUTS},
                          opset_version=OPSET)
    version = stamp_version(out_dir, space, min(cfg.top_k, cfg.n_items - 3))
    side = sidecar(model, space, dict(extra, model_version=version,
                                      popular_items=list(popular_items)))
    with open(os.path.join(out_dir, SIDECAR_FILE), "w") as f:
        json.dump(side, f, indent=1)
    with open(os.path.join(out_dir, PARITY_FILE), "w") as f:
        json.dump(stream_fixtures(model, space), f)
    with open(os.path.join(out_dir, RAW_FIXTURES_FILE), "w") as f:
        json.dump(export_v1.raw_event_fixtures(space), f, indent=1)
    log(f"exported v2 prefill/step/recommend graphs to {out_dir}, version {version}")
    return side


def stamp_version(out_dir: str, space: FeatureSpace, top_k: int) -> str:
    """Hashes the graphs (metadata cleared) into the model version and writes it, with the
    serving constants, into each graph's metadata; checks every graph."""
    paths = [os.path.join(out_dir, f) for f in GRAPH_FILES.values()]
    graphs = [onnx.load(p) for p in paths]
    digest = hashlib.sha256()
    for g in graphs:
        del g.metadata_props[:]
        digest.update(g.SerializeToString())
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%d")
    version = f"stream-{day}-{digest.hexdigest()[:8]}"
    for g, p, name in zip(graphs, paths, GRAPH_FILES):
        onnx.helper.set_model_props(g, {"format_version": str(FORMAT_VERSION), "model_version": version,
                                        "graph": name, "max_seq_len": str(space.max_seq_len),
                                        "top_k": str(top_k)})
        onnx.checker.check_model(g, full_check=True)
        onnx.save(g, p)
    return version


def sidecar(model, space, extra) -> dict:
    cfg = model.cfg
    return dict(
        format_version=FORMAT_VERSION,
        graphs={"prefill": {"file": PREFILL_FILE, "inputs": PREFILL_INPUTS,
                            "outputs": SCORE_OUTPUTS + CACHE_OUTPUTS},
                "step": {"file": STEP_FILE, "inputs": STEP_INPUTS,
                         "outputs": SCORE_OUTPUTS + CACHE_OUTPUTS},
                "recommend": {"file": RECOMMEND_FILE, "inputs": RECOMMEND_INPUTS,
                              "outputs": RECOMMEND_OUTPUTS}},
        attention_window=cfg.attn_window, receptive_field=cfg.receptive_field,
        cache_shape=["n_layers", "batch", "n_heads", "attention_window - 1", "d_model / n_heads"],
        cache_dims=[cfg.n_layers, None, cfg.n_heads, cfg.attn_window - 1, cfg.d_model // cfg.n_heads],
        aggregates={"names": agg.NAMES, "window": cfg.receptive_field,
                    "session_gap_ms": agg.SESSION_GAP_MS, "transform": "log1p",
                    "definition": "aggregates.py (prefix_aggregates)"},
        next_actions=list(NEXT_ACTIONS), top_k=min(cfg.top_k, cfg.n_items - 3),
        model_config=dict(cfg.__dict__), **space.sidecar_parts(), **extra)


# ---- stream parity fixtures: step-by-step == full recompute ----------------------------------
def _random_user(rng, space, n):
    steps, t = [], 1_767_600_000_000
    for i in range(n):
        a = int(rng.choice([1, 1, 1, 2, 3, 4, 5]))
        it = NONE_ID if a in (2, 5) else int(rng.randint(FIRST_ID, min(space.n_items, FIRST_ID + 12)))
        cat = NONE_ID if a == 5 else int(rng.randint(FIRST_ID, space.n_categories))
        t += int(rng.choice([1_000, 7_000, 60_000, 3_600_000]))
        steps.append({"action": a, "item": it, "category": cat, "time_ms": t,
                      "price": float(rng.choice([0.0, 9.5, 120.0]))})
    return steps


def user_inputs(space, steps: List[dict], window: int):
    """Per event: gap bucket (to the previous event; first event -> first_event_id) and the
    aggregates of the prefix ending there."""
    gaps = [1] + [space.gap_bucket(b["time_ms"] - a["time_ms"]) for a, b in zip(steps, steps[1:])]
    st = [agg.Step(s["action"], s["item"], s["category"], s["time_ms"], s["price"]) for s in steps]
    aggs = [agg.prefix_aggregates(st[max(0, i - window + 1):i + 1]) for i in range(len(st))]
    return gaps, aggs


@torch.no_grad()
def replay(model, space, steps, stored: int):
    """-> (gaps, aggregates, per event OUTPUTS of step + recommend, of prefill + recommend over
    the newest `stored` events)."""
    cfg = model.cfg
    R, W = cfg.receptive_field, cfg.attn_window
    gaps, aggs = user_inputs(space, steps, R)
    cols = [[s["action"] for s in steps], [s["item"] for s in steps],
            [s["category"] for s in steps], gaps]
    pre, step, rec = Prefill(model.eval()), Step(model), Recommend(model)
    hd = cfg.d_model // cfg.n_heads
    ck = cv = torch.zeros(cfg.n_layers, 1, cfg.n_heads, W - 1, hd)
    by_step, by_recompute = [], []
    for i in range(len(steps)):
        lo = max(0, i + 1 - R)
        win = [torch.tensor([[0] * (R - (i + 1 - lo)) + c[lo:i + 1]]) for c in cols[:3]]
        a = torch.tensor([aggs[i]], dtype=torch.float32)
        new = [torch.tensor([c[i]]) for c in cols]
        probs, purchase, att, h, ck, cv = step(ck, cv, torch.tensor([i]), *new, a)
        by_step.append((probs, purchase, *rec(h, a, *win), att))
        s0 = max(0, i + 1 - stored)
        seq = [torch.tensor([c[s0:i + 1]]) for c in cols]
        probs, purchase, att, h = pre(*seq, a)[:4]
        by_recompute.append((probs, purchase, *rec(h, a, *win), att))
    return gaps, aggs, by_step, by_recompute


def stream_fixtures(model, space, seed=11) -> dict:
    rng = np.random.RandomState(seed)
    R = model.cfg.receptive_field
    stored = space.max_seq_len
    users = []
    for n in (3, R + 12):
        steps = _random_user(rng, space, n)
        gaps, aggs, by_step, _ = replay(model, space, steps, stored)
        users.append({"events": steps, "gap_buckets": gaps, "aggregates": aggs,
                      "outputs": [{k: v[0].tolist() for k, v in zip(OUTPUTS, o)} for o in by_step]})
    return {"stored_events": stored, "tolerance": 1e-4, "users": users,
            "note": "replay each user through step (an empty cache with history_len 0 for the first "
                    "event), then recommend on its hidden state and the newest receptive_field "
                    "events; every event's outputs must match `outputs`, and a prefill over the "
                    "newest stored_events events (then recommend) must match them too"}
