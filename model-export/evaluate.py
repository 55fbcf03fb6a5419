"""Held-out evaluation of the Transformer against baselines on identical examples, the
reliability plot, CPU latency, and the model card."""
import json
import os
import time

import numpy as np
import torch

import baselines as bl
import dataset
import metrics as M
from features import FIRST_ID


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
        reliability_plot(y_p, curves, os.path.join(out_dir, "reliability.png"))
    return res


def _item_metrics(ranks):
    return {"hr@10": M.hit_rate_at_k(ranks, 10), "ndcg@10": M.ndcg_at_k(ranks, 10)}


def _action_metrics(y, probs):
    pred = probs.argmax(1)
    return {"accuracy": M.accuracy(y, pred), "macro_f1": M.macro_f1(y, pred)}


def reliability_plot(y, curves: dict, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(4, 4), dpi=80)
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="perfect")
    for name, p in curves.items():
        conf, rate, count = M.reliability(y, p)
        ok = count > 0
        ax.plot(conf[ok], rate[ok], marker="o", ms=3, label=name)
    ax.set_xlabel("predicted purchase probability")
    ax.set_ylabel("observed purchase rate")
    ax.set_title("Purchase calibration (test split)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


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


def _fmt(v):
    return "n/a" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.4f}"


def _table(section: dict, cols) -> str:
    lines = ["| model | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, m in section.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(m.get(c)) for c in cols) + " |")
    return "\n".join(lines)


def write_model_card(path, summary, train_cfg, test, valid, run, copy_to=None) -> None:
    def results_block(r, title):
        return (f"### {title} ({r['n_examples']} prefixes, {r['n_item_targets']} with an "
                f"in-vocabulary next item; purchase base rate {r['purchase_base_rate']:.3f})\n\n"
                f"**Next item** (full ranking over the whole item vocabulary)\n\n"
                f"{_table(r['next_item'], ['hr@10', 'ndcg@10'])}\n\n"
                f"**Next action** (6 classes)\n\n"
                f"{_table(r['next_action'], ['accuracy', 'macro_f1'])}\n\n"
                f"**Purchase in this session**\n\n"
                f"{_table(r['purchase'], ['roc_auc', 'pr_auc', 'ece'])}\n")
    sizing = _read_sizing(os.path.dirname(path))
    text = CARD_TEMPLATE.format(
        model_version=run["model_version"], summary=json.dumps(summary, indent=1),
        train_cfg=json.dumps(train_cfg), run=json.dumps(run),
        test=results_block(test, "Test split (held out, latest 10% of time)"),
        valid=results_block(valid, "Validation split (previous 10% of time)"), sizing=sizing)
    for p in [path] + ([copy_to] if copy_to else []):
        with open(p, "w") as f:
            f.write(text.replace("](reliability.png)", "](artifacts/reliability.png)")
                    if p == copy_to else text)


def _read_sizing(out_dir) -> str:
    """Optional size comparison written by sizing.py; kept out of the training command."""
    p = os.path.join(out_dir, "sizing.md")
    return open(p).read() if os.path.exists(p) else "Not run for this model (see sizing.py)."


CARD_TEMPLATE = """# Model card: intent-stream shopper-intent Transformer

`model_version`: `{model_version}` (also in the ONNX `metadata_props` and `intent-model.json`).
Generated by `train.py`; numbers below are from the run that produced the artifacts.

## Intended use
Scores a shopper's newest events in real time (Kafka Streams, ONNX Runtime) to drive UX
decisions: next likely action, probability of checking out in this session, candidate items.
Not for decisions with legal or financial effect on a person, not for pricing individuals.
The default model is trained on SYNTHETIC data; its numbers describe the simulator, not a shop.

## Model
SASRec-style causal self-attention (pre-LayerNorm blocks, own attention code) over the newest
L events. Step embedding = action + item + category + gap bucket + position in the window.
Heads on the last valid step: next action (softmax over 6), purchase (sigmoid), next item: a
pointer-generator mixture (gate = sigmoid of a linear head) of a softmax over the whole item
vocabulary (output weights tied to the item embedding) and a pointer attention over the items
already in the window; top-K inside the graph. `topk_scores` are mixture probabilities.
Loss = cross-entropy(next action) + BCE(purchase) + negative log-likelihood of the next item
under the mixture (full softmax, no sampled negatives). Every prefix of a window is scored in
one causal pass; AdamW, cosine schedule, the epoch with the best validation
NDCG@10 + purchase ROC-AUC is kept (the test split is never used for choices).

Training config: `{train_cfg}`

## Data
Training-data summary (source, seed, counts, split cut-offs in epoch ms):

```
{summary}
```

Split: sessions are assigned by their start time to train / validation / test with cut-offs at
the 80% and 90% quantiles of event time. Training sessions must end before the first cut-off
and training next-item targets after it are dropped (no future leakage); validation and test
prefixes may use the shopper's earlier history, exactly as the live system would.
Every prefix of a session is one example; its input window is built exactly like serving.

## Results
Baselines: most_popular (training popularity), markov (last item -> next item counts,
popularity fallback), repeat_recent (items of the window newest first, then popularity);
majority / last_action_markov for the next action; cart_state_rate (observed purchase rate
per current cart size) and logistic_on_counts (logistic regression on session action counts,
length, duration and cart size) for purchase. n/a = the baseline cannot predict that task.

{test}
{valid}
Calibration (test split): ![reliability](reliability.png)

## Size and speed
Run: `{run}`

CPU time is PyTorch eager, 2 threads, full serving forward (incl. top-K) at S=L, median of
repeated runs after warm-up, divided by the batch size.

{sizing}

## Limitations
- Synthetic training data: behaviour patterns are those coded in `simulator.py`; real shops
  differ (bots, multi-tab sessions, long-tail catalogues). Retrain on real data before use.
- Items outside the vocabulary share one OOV embedding and can never be recommended;
  new items need a retrain (cold start falls back to `popular_items`).
- The purchase label is "checkout later in the same session"; sessions ending without
  an observed end (stream still open) look like non-purchases.
- Probabilities are calibrated only for the training distribution (see the plot).
- Real loaders: REES46/Taobao log one purchase row per product; rows of one session in the
  same second are merged into one CHECKOUT. Taobao "fav" has no action and is skipped.
  RetailRocket has no categories (all steps get the none category).
"""
