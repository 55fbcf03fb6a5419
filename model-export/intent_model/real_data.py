"""Real-data evaluation: train the v2 recipe on each real log and compare it with every baseline.

    model-export/real_data.sh                 # full run: writes model-export/REAL_DATA.md
    model-export/real_data.sh --quick --out /tmp/r.md   # CI-sized: 1 epoch, fewer resamples

Per log: one time-based split (sessions by start time, cut-offs at the 80% / 90% event-time
quantiles, as for the default model). Next action counts only prefixes the log runs on a session
gap past (dataset.encode), which a short log's last tenth never is: there it comes from the
held-out-shoppers run below. Every test prefix counts otherwise: next-item cases are all prefixes
whose next event carries an item, a target outside the training vocabulary is a miss (its
coverage is reported), and repeat targets (item among the newest L events) are reported apart
from new-item targets. Purchase also gets a held-out-shoppers evaluation (half of the shoppers,
scored by a model trained on the other half), because a time split of these short logs
holds only a few dozen positive prefixes; its next-action table uses the same model.
95% intervals: cluster bootstrap over shoppers (YOOCHOOSE: sessions, its only shopper id).
"""
import argparse
import multiprocessing
import os
import sys
import time
import zlib
from dataclasses import replace

import numpy as np

from . import baselines as bl
from . import bootstrap as bs
from . import dataset
from . import loaders
from . import metrics as M
from . import real_report
from . import train_v2 as T
from .events import NEXT_ACTIONS

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # model-export/
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data")

# name -> (loader, files in time order, has purchases)
LOGS = {
    "taobao-2h": ("taobao", ["taobao-userbehavior-2h.csv"], True),
    "rees46-17k": ("rees46", ["rees46-2019-oct-17k.csv"], True),
    "yoochoose-100k": ("yoochoose", ["yoochoose-clicks-100k-train.tsv",
                                     "yoochoose-clicks-100k-test.tsv"], False),
}
ITEM_BASELINES = ("most_popular", "markov", "repeat_recent")
PURCHASE_BASELINES = ("cart_state_rate", "logistic_on_counts")


def load_log(name, data_dir, max_rows=None):
    fmt, files, _ = LOGS[name]
    events, reports = [], []
    for f in files:
        evs, rep = loaders.LOADERS[fmt](os.path.join(data_dir, f), max_rows=max_rows)
        events += [e._replace(event_id=f"{f}:{e.event_id}") for e in evs]   # line ids per file
        reports.append(rep.summary())
    return events, reports


def prepare(timelines, tc, user_split=None) -> T.Prepared:
    L = 50
    cutoffs = dataset.time_cutoffs(timelines)
    if user_split is None:
        space = dataset.build_feature_space(timelines, cutoffs[0], {}, L)
    else:
        train_users = [tl for tl in timelines if user_split[tl[0].user_id] == dataset.TRAIN]
        space = dataset.build_feature_space(train_users, np.iinfo(np.int64).max, {}, L)
    enc = dataset.encode(timelines, space, cutoffs, user_split)
    return T.Prepared(enc, space, tc.model.receptive_field)


# ---- time split: all three tasks ---------------------------------------------------------
def evaluate_time_split(data, model, tc, n_boot, seed=0) -> dict:
    enc, space = data.enc, data.space
    L = space.max_seq_len
    ends = np.flatnonzero(enc.split == dataset.TEST)
    pred = T.predict(model, data, ends, tc)
    g, w = bs.group_weights(enc.user_start[ends], n_boot, seed)
    res = {"test_prefixes": int(len(ends)), "shoppers": int(w.shape[1])}
    # Next item.
    case = pred["rank"] >= 0
    ranks = {"model": pred["rank"][case]}
    item_bl = bl.ItemBaselines(enc, space.n_items, L)
    ce = ends[case]
    for name in ITEM_BASELINES:
        ranks[name] = np.concatenate([T.item_ranks(item_bl.scores(name, enc, ce[i:i + 512]), enc,
                                                   ce[i:i + 512], space.n_items)
                                      for i in range(0, len(ce), 512)] or [np.zeros(0, int)])
    repeat = _repeat_targets(enc, ce, L)
    names = list(ranks)
    gains = np.stack([np.where(ranks[n] < 10, 1 / np.log2(ranks[n] + 2.0), 0.0) for n in names], 1)
    hits = np.stack([(ranks[n] < 10).astype(float) for n in names], 1)
    gc = g[case]
    ndcg_s = bs.mean_metric(gains, gc, w)
    hr_s = bs.mean_metric(hits, gc, w)
    point = gains.mean(0)
    best = 1 + int(np.argmax(point[1:]))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ndcg_s[:, best] > 0, ndcg_s[:, 0] / ndcg_s[:, best], np.nan)
    res["next_item"] = {
        "cases": int(case.sum()), "coverage": float((enc.next_item[ce] >= 3).mean()) if len(ce) else 0,
        "repeat_share": float(repeat.mean()) if len(ce) else 0,
        "rows": {n: {"ndcg@10": point[k], "ndcg_ci": _ci(ndcg_s[:, k]), "hr@10": hits[:, k].mean(),
                     "hr_ci": _ci(hr_s[:, k]),
                     "ndcg_repeat": gains[repeat, k].mean() if repeat.any() else np.nan,
                     "ndcg_new": gains[~repeat, k].mean() if (~repeat).any() else np.nan}
                 for k, n in enumerate(names)},
        "best_baseline": names[best], "ratio": point[0] / max(point[best], 1e-12),
        "ratio_ci": _ci(ratio)}
    # Next action: only where the log can tell it (dataset.encode).
    kn = enc.action_known[ends] == 1
    offsets = _validation_offsets(model, data, tc)
    res["next_action"] = _action_rows(*_action_preds(data, ends[kn], pred["action"][kn], offsets),
                                      g[kn], w, offsets, len(ends))
    # Purchase.
    yp = enc.purchase[ends]
    if yp.any():
        curves = {"model": pred["purchase"], **_purchase_baselines(enc, ends)}
        res["purchase"] = _purchase_rows(yp, curves, g, w)
    return res


def _validation_offsets(model, data, tc) -> np.ndarray:
    v = np.flatnonzero((data.enc.split == dataset.VALID) & (data.enc.action_known == 1))
    if len(v) == 0:
        return np.zeros(len(NEXT_ACTIONS))
    return T.action_offsets(T.predict(model, data, v, tc, items=False)["action"], data.enc.next_action[v])


def _action_preds(data, ends, probs, offsets):
    """-> (true classes, {decision rule: predicted classes}) of the prefixes ending at `ends`."""
    enc = data.enc
    tables = bl.action_baselines(enc)
    return enc.next_action[ends], {
        "model": probs.argmax(1),
        "model + validation offsets": (np.log(probs + 1e-12) + offsets).argmax(1),
        "majority": np.full(len(ends), tables["majority"].argmax()),
        "last_action_markov": tables["last_action_markov"][enc.action[ends]].argmax(1)}


def _action_rows(y, preds, g, w, offsets, prefixes) -> dict:
    out = {"offsets": np.asarray(offsets).round(2).tolist(), "known": int(len(y)),
           "prefixes": int(prefixes), "rows": {}}
    if len(y) == 0:
        return out
    P = np.stack(list(preds.values()), 1)
    f1_s = bs.macro_f1_metric(y, P, g, w, len(NEXT_ACTIONS))
    acc_s = bs.mean_metric((P == y[:, None]).astype(float), g, w)
    out["rows"] = {
        n: {"accuracy": M.accuracy(y, P[:, k]), "acc_ci": _ci(acc_s[:, k]),
            "macro_f1": M.macro_f1(y, P[:, k]), "f1_ci": _ci(f1_s[:, k]),
            "recall": {NEXT_ACTIONS[c]: float((P[y == c, k] == c).mean())
                       for c in range(len(NEXT_ACTIONS)) if (y == c).any()}}
        for k, n in enumerate(preds)}
    return out


def _repeat_targets(enc, ends, L) -> np.ndarray:
    out = np.zeros(len(ends), dtype=bool)
    for r, e in enumerate(ends):
        lo = max(enc.user_start[e], e - L + 1)
        out[r] = enc.next_raw_item[e] >= 0 and enc.next_raw_item[e] in enc.raw_item[lo:e + 1]
    return out


def _purchase_baselines(enc, ends) -> dict:
    feats = bl.session_features(enc)
    pb = bl.PurchaseBaselines(enc, feats)
    return {n: pb.scores(n, feats[ends]) for n in PURCHASE_BASELINES}


def _purchase_rows(y, curves, g, w) -> dict:
    names = list(curves)
    auc_s = bs.auc_metric(y, np.stack([curves[n] for n in names], 1), g, w)
    rows = {n: {"roc_auc": M.roc_auc(y, curves[n]), "auc_ci": _ci(auc_s[:, k]),
                "pr_auc": M.pr_auc(y, curves[n]), "ece": M.expected_calibration_error(y, curves[n])}
            for k, n in enumerate(names)}
    base = [n for n in names if n != "model"]
    best = max(base, key=lambda n: rows[n]["roc_auc"])
    diff = auc_s[:, 0] - auc_s[:, names.index(best)]
    return {"positives": int(y.sum()), "prefixes": int(len(y)), "rows": rows,
            "best_baseline": best, "auc_gain": rows["model"]["roc_auc"] - rows[best]["roc_auc"],
            "auc_gain_ci": _ci(diff), "curves": curves, "y": y}


# ---- held-out shoppers: purchase with enough positives ---------------------------------------
def evaluate_shoppers(timelines, tc, n_boot, folds=2, scored_folds=1, log=print, seed=0) -> dict:
    """Shoppers split into `folds` by a hash of their id; each of the first `scored_folds` folds
    is scored by a model trained on the other shoppers (all of their time)."""
    users = [tl[0].user_id for tl in timelines]
    code = {u: zlib.crc32(u.encode()) for u in users}
    fold = {u: c % folds for u, c in code.items()}
    ys, curves, groups, train_s = [], {}, [], 0.0
    ya, pa, ga, offsets, n_prefixes = [], {}, [], [], 0
    for f in range(scored_folds):
        # Fold f is scored; of the other shoppers 1 in 10 is the validation split, by other bits
        # of the same hash (CRC32 is affine: a second CRC of a prefixed id is correlated with the
        # first, and left Taobao's training half without any validation shopper).
        split = {u: dataset.TEST if fold[u] == f else
                 (dataset.VALID if (code[u] // folds) % 10 == 0 else dataset.TRAIN)
                 for u in users}
        data = prepare(timelines, tc, split)
        t0 = time.time()
        model = T.train(data, tc, log)
        train_s += time.time() - t0
        ends = np.flatnonzero(data.enc.split == dataset.TEST)
        pred = T.predict(model, data, ends, tc)
        part = {"model": pred["purchase"], **_purchase_baselines(data.enc, ends)}
        for n, p in part.items():
            curves.setdefault(n, []).append(p)
        ys.append(data.enc.purchase[ends])
        groups.append(f * 10_000_000 + data.enc.user_start[ends])     # shopper ids per fold
        kn = data.enc.action_known[ends] == 1
        offsets.append(_validation_offsets(model, data, tc))
        y_f, preds_f = _action_preds(data, ends[kn], pred["action"][kn], offsets[-1])
        ya.append(y_f)
        ga.append(groups[-1][kn])
        n_prefixes += len(ends)
        for n, p in preds_f.items():
            pa.setdefault(n, []).append(p)
    y = np.concatenate(ys)
    g, w = bs.group_weights(np.concatenate(groups), n_boot, seed)
    res = _purchase_rows(y, {n: np.concatenate(v) for n, v in curves.items()}, g, w)
    # Next action of the same held-out shoppers: the log tells it where it runs on a session gap
    # past the event, which a time split's last tenth of a 2-hour log never does.
    ga_s, wa = bs.group_weights(np.concatenate(ga), n_boot, seed)
    res["next_action"] = _action_rows(np.concatenate(ya), {n: np.concatenate(v) for n, v in pa.items()},
                                      ga_s, wa, offsets[0], n_prefixes)
    res["train_seconds"] = train_s
    res["folds"], res["scored_folds"] = folds, scored_folds
    return res


def _ci(samples):
    lo, hi = bs.interval(np.asarray(samples).reshape(-1, 1))
    return float(lo[0]), float(hi[0])


def run_log(name, args, tc, log=print) -> dict:
    events, reports = load_log(name, args.data_dir, args.max_rows)
    timelines = dataset.order_timelines(events)
    data = prepare(timelines, tc)
    out = {"name": name, "load": reports, "summary": dataset.split_summary(data.enc, timelines),
           "item_vocab": len(data.space.item_vocab)}
    t0 = time.time()
    model = T.train(data, tc, log)
    out["train_seconds"] = time.time() - t0
    out["time_split"] = evaluate_time_split(data, model, tc, args.bootstrap)
    if LOGS[name][2] and not args.no_shoppers:
        out["shoppers"] = evaluate_shoppers(timelines, tc, args.bootstrap, log=log)
    if name in args.ablations:
        out["ablations"] = {"full recipe": _headline(out["time_split"], out["train_seconds"])}
        for label, switch in ABLATIONS.items():
            variant = replace(tc, **{switch: False})
            t0 = time.time()
            m = T.train(data, variant, log)
            secs = time.time() - t0
            out["ablations"][label] = _headline(evaluate_time_split(data, m, variant, args.bootstrap),
                                                secs)
    return out


ABLATIONS = {"without aggregates": "use_aggregates", "without transition/category priors":
             "use_priors", "without the repeat pointer": "use_repeats",
             "without purchase priors": "use_purchase_priors"}


def _headline(ts, secs) -> dict:
    """The few numbers an ablation row shows (test split; reported, never used for choices)."""
    m = ts["next_item"]["rows"]["model"]
    a = ts["next_action"]["rows"].get("model + validation offsets", {})
    p = ts.get("purchase", {}).get("rows", {}).get("model")
    return {"ndcg@10": m["ndcg@10"], "ndcg_ci": m["ndcg_ci"], "ndcg_repeat": m["ndcg_repeat"],
            "ndcg_new": m["ndcg_new"], "macro_f1": a.get("macro_f1"), "f1_ci": a.get("f1_ci", (None, None)),
            "roc_auc": p["roc_auc"] if p else None, "auc_ci": p["auc_ci"] if p else None,
            "train_seconds": secs}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data-dir", default=DEFAULT_DATA)
    ap.add_argument("--out", default=os.path.join(HERE, "REAL_DATA.md"))
    ap.add_argument("--logs", nargs="*", default=list(LOGS), choices=list(LOGS))
    ap.add_argument("--epochs", type=int, default=T.TrainConfigV2.epochs)
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples per interval")
    ap.add_argument("--max-rows", type=int, default=None, help="first N rows of each file")
    ap.add_argument("--no-shoppers", action="store_true", help="skip the held-out-shoppers run")
    ap.add_argument("--ablations", nargs="*", default=[], choices=list(LOGS),
                    help="logs on which to retrain without each part of the recipe")
    ap.add_argument("--jobs", type=int, default=3, help="logs evaluated in parallel processes")
    ap.add_argument("--quick", action="store_true", help="CI size: 1 epoch, 200 resamples")
    args = ap.parse_args(argv)
    if args.quick:
        args.epochs, args.bootstrap = 1, 200
    tc = replace(T.TrainConfigV2(), epochs=args.epochs)
    started = time.time()
    if args.jobs > 1 and len(args.logs) > 1:
        # One process per log (fork before any torch work); each trains with one thread.
        with multiprocessing.get_context("fork").Pool(min(args.jobs, len(args.logs))) as pool:
            results = pool.starmap(run_log, [(n, args, tc) for n in args.logs])
    else:
        results = [run_log(n, args, tc) for n in args.logs]
    command = "model-export/real_data.sh " + " ".join(argv if argv is not None else sys.argv[1:])
    real_report.write(args.out, results, tc, command.strip(), time.time() - started)
    print(f"wrote {args.out} in {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
