"""Held-out evaluation of the Transformer against baselines on identical examples, and CPU
latency. Writing the results down (model card, plots) is report.py's job."""
import os
import time

import numpy as np
import torch

from . import baselines as bl
from . import dataset
from . import metrics as M
from . import report
from .features import FIRST_ID


@torch.no_grad()
def model_predictions(model, enc, ends, L, batch=512):
    """-> action probs [N,6], purchase probs [N], target ranks for rows with a next item."""
    acts, purch, ranks = [], [], []
    for i in range(0, len(ends), batch):
        e = ends[i:i + batch]
        x = {k: torch.from_numpy(v).long() for k, v in dataset.windows(enc, e, L).items()}
        h, _, hidden = model.encode(**x)
        a, p, item_logits = model.logits(h)
        items = model.item_probs(h, hidden, x["item_ids"], item_logits)
        acts.append(torch.softmax(a, -1).numpy())
        purch.append(torch.sigmoid(p).numpy())
        t = enc.next_item[e]
        has = t >= FIRST_ID
        ranks.append(M.target_ranks(items.numpy()[has], t[has]))   # ties: optimistic
    return np.concatenate(acts), np.concatenate(purch), np.concatenate(ranks)


def evaluate_split(model, enc, space, split, out_dir=None) -> dict:
    L = model.cfg.max_seq_len
    ends = np.flatnonzero(enc.split == split)
    item_ends = ends[enc.next_item[ends] >= FIRST_ID]
    act_p, purch_p, ranks = model_predictions(model, enc, ends, L)
    res = {"n_examples": int(len(ends)), "n_item_targets": int(len(item_ends)),
           "next_item": {}, "next_action": {}, "purchase": {}}
    res["next_item"]["transformer"] = _item_metrics(ranks)
    items = bl.ItemBaselines(enc, space.n_items, L)
    for name in ("most_popular", "markov", "repeat_recent"):
        r = np.concatenate([M.target_ranks(items.scores(name, enc, item_ends[i:i + 1024]),
                                           enc.next_item[item_ends[i:i + 1024]])
                            for i in range(0, len(item_ends), 1024)])
        res["next_item"][name] = _item_metrics(r)
    y_act = enc.next_action[ends]
    res["next_action"]["transformer"] = _action_metrics(y_act, act_p)
    tables = bl.action_baselines(enc)
    res["next_action"]["majority"] = _action_metrics(y_act, np.tile(tables["majority"], (len(ends), 1)))
    res["next_action"]["last_action_markov"] = _action_metrics(
        y_act, tables["last_action_markov"][enc.action[ends]])
    y_p = enc.purchase[ends]
    feats = bl.session_features(enc)
    pb = bl.PurchaseBaselines(enc, feats)
    curves = {"transformer": purch_p}
    for name in ("cart_state_rate", "logistic_on_counts"):
        curves[name] = pb.scores(name, feats[ends])
    for name, p in curves.items():
        res["purchase"][name] = {"roc_auc": M.roc_auc(y_p, p), "pr_auc": M.pr_auc(y_p, p),
                                 "ece": M.expected_calibration_error(y_p, p)}
    res["purchase_base_rate"] = float(y_p.mean())
    if out_dir:
        report.reliability_plot(y_p, curves, os.path.join(out_dir, "reliability.png"),
                                "Purchase calibration (test split)")
    return res


def _item_metrics(ranks):
    return {"hr@10": M.hit_rate_at_k(ranks, 10), "ndcg@10": M.ndcg_at_k(ranks, 10)}


def _action_metrics(y, probs):
    pred = probs.argmax(1)
    return {"accuracy": M.accuracy(y, pred), "macro_f1": M.macro_f1(y, pred)}


@torch.no_grad()
def cpu_latency(model, space, repeats=20) -> dict:
    """Median wall time of the full serving forward (incl. top-K) at S=L, per sequence."""
    torch.set_num_threads(2)
    L, out = model.cfg.max_seq_len, {}
    for B in (1, 256):
        rng = np.random.RandomState(0)
        x = {"action_ids": rng.randint(1, 6, (B, L)), "item_ids": rng.randint(3, space.n_items, (B, L)),
             "category_ids": rng.randint(3, space.n_categories, (B, L)),
             "gap_buckets": rng.randint(2, space.n_gap_buckets, (B, L)), "lengths": np.full(B, L)}
        x = {k: torch.from_numpy(v).long() for k, v in x.items()}
        # Enough repeats at batch 256 too: with 3, one scheduler hiccup moved the median by 2x.
        reps = repeats if B == 1 else max(10, repeats // 2)
        for _ in range(5):
            model(**x)
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            model(**x)
            times.append(time.perf_counter() - t0)
        out[f"us_per_seq_batch{B}"] = round(1e6 * float(np.median(times)) / B, 1)
    return out
