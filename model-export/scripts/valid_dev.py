"""Development runs on the VALIDATION split only (never the test split): trains the v2 recipe on
one real log's time split and prints validation NDCG@10 / macro-F1 / purchase AUC of the model
next to the baselines. Usage (from model-export/):
    nice -n 10 /usr/bin/python3 scripts/valid_dev.py rees46-17k [--epochs N] [--shoppers]
"""
import argparse
import os
import sys
import time
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from intent_model import baselines as bl          # noqa: E402
from intent_model import dataset                  # noqa: E402
from intent_model import metrics as M             # noqa: E402
from intent_model import real_data as RD          # noqa: E402
from intent_model import train_v2 as T            # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log", choices=list(RD.LOGS))
    ap.add_argument("--epochs", type=int, default=T.TrainConfigV2.epochs)
    ap.add_argument("--shoppers", action="store_true", help="held-out-shoppers purchase run")
    ap.add_argument("--set", nargs="*", default=[], help="TrainConfigV2 field=value (floats)")
    args = ap.parse_args()
    tc = replace(T.TrainConfigV2(), epochs=args.epochs,
                 **{k: type(getattr(T.TrainConfigV2, k))(v) for k, v in (a.split("=") for a in args.set)})
    events, _ = RD.load_log(args.log, RD.DEFAULT_DATA)
    tls = dataset.order_timelines(events)
    if args.shoppers:
        import zlib
        code = {tl[0].user_id: zlib.crc32(tl[0].user_id.encode()) for tl in tls}
        # Only the training half of the evaluation's fold 0 (its test half is never touched):
        # its 1-in-10 validation shoppers are the development set.
        tls = [tl for tl in tls if code[tl[0].user_id] % 2 == 1]
        split = {u: dataset.VALID if (c // 2) % 10 == 0 else dataset.TRAIN for u, c in code.items()
                 if c % 2 == 1}
        data = RD.prepare(tls, tc, split)
    else:
        data = RD.prepare(tls, tc)
    t0 = time.time()
    model = T.train(data, tc)
    secs = time.time() - t0
    enc, space = data.enc, data.space
    ends = np.flatnonzero(enc.split == dataset.VALID)
    p = T.predict(model, data, ends, tc)
    out = {"train_s": round(secs)}
    case = p["rank"] >= 0
    if case.any():
        ib = bl.ItemBaselines(enc, space.n_items, space.max_seq_len)
        ce = ends[case]
        nd = {"model": M.ndcg_at_k(p["rank"][case], 10)}
        rep = RD._repeat_targets(enc, ce, space.max_seq_len)
        split_nd = {"model": (round(M.ndcg_at_k(p["rank"][case][rep], 10), 4),
                              round(M.ndcg_at_k(p["rank"][case][~rep], 10), 4))}
        for n in RD.ITEM_BASELINES:
            r = np.concatenate([T.item_ranks(ib.scores(n, enc, ce[i:i + 512]), enc, ce[i:i + 512],
                                             space.n_items) for i in range(0, len(ce), 512)])
            nd[n] = M.ndcg_at_k(r, 10)
            split_nd[n] = (round(M.ndcg_at_k(r[rep], 10), 4), round(M.ndcg_at_k(r[~rep], 10), 4))
        out["ndcg_repeat_new"] = split_nd
        out["repeat_share"] = round(float(rep.mean()), 3)
        best = max(RD.ITEM_BASELINES, key=nd.get)
        out["ndcg"] = {k: round(v, 4) for k, v in nd.items()}
        out["ndcg_ratio"] = round(nd["model"] / max(nd[best], 1e-12), 3)
    kn = enc.action_known[ends] == 1          # next actions the log can tell
    y, pa, ka = enc.next_action[ends][kn], p["action"][kn], ends[kn]
    out["class_share"] = {n: np.round(np.bincount(enc.next_action[(enc.split == sp) & (enc.action_known == 1)],
                                                  minlength=6)
                                      / max(1, ((enc.split == sp) & (enc.action_known == 1)).sum()), 3).tolist()
                          for n, sp in (("train", dataset.TRAIN), ("valid", dataset.VALID))}
    out["known_actions"] = int(kn.sum())
    if kn.any():
        out["mean_prob"] = pa.mean(0).round(3).tolist()
        tables = bl.action_baselines(enc)
        off = T.action_offsets(pa, y)
        mk = tables["last_action_markov"][enc.action[ka]].argmax(1)
        out["f1"] = {"argmax": round(M.macro_f1(y, pa.argmax(1)), 4),
                     "offsets(in-sample)": round(M.macro_f1(y, (np.log(pa + 1e-12) + off).argmax(1)), 4),
                     "majority": round(M.macro_f1(y, np.full(len(y), tables["majority"].argmax())), 4),
                     "markov": round(M.macro_f1(y, mk), 4)}
        out["acc"] = {"argmax": round(M.accuracy(y, pa.argmax(1)), 4),
                      "offsets(in-sample)": round(M.accuracy(y, (np.log(pa + 1e-12) + off).argmax(1)), 4),
                      "majority": round(M.accuracy(y, np.full(len(y), tables["majority"].argmax())), 4),
                      "markov": round(M.accuracy(y, mk), 4)}
    yp = enc.purchase[ends]
    if 0 < yp.sum() < len(yp):
        pb = RD._purchase_baselines(enc, ends)
        out["auc"] = {"model": round(M.roc_auc(yp, p["purchase"]), 4),
                      **{n: round(M.roc_auc(yp, v), 4) for n, v in pb.items()},
                      "positives": int(yp.sum())}
        out["ece"] = round(M.expected_calibration_error(yp, p["purchase"]), 4)
    print("VALID", args.log, out, flush=True)


if __name__ == "__main__":
    main()
