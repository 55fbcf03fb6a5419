"""Accuracy per CPU microsecond: trains a few model sizes on the default simulator data and
writes artifacts/sizing.md (included in the model card on the next default training).

    cd model-export && /usr/bin/python3 -m intent_model.sizing [--epochs 4]
Metrics are on the VALIDATION split, so choosing a size never looks at the test split.
"""
import argparse
import os
import time

from . import dataset
from . import evaluate
from . import simulator
from . import train
from .model import ModelConfig

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # model-export/

CANDIDATES = [  # (d_model, ffn_dim, n_layers)
    (64, 128, 2), (64, 256, 2), (64, 2048, 2), (128, 256, 2),
]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--out", default=os.path.join(HERE, "artifacts", "sizing.md"))
    args = ap.parse_args(argv)
    catalog, events = simulator.simulate(simulator.SimConfig())
    terms = {t: c["id"] for c in catalog.to_json()["categories"] for t in c["terms"]}
    timelines = dataset.order_timelines(events)
    cut = dataset.time_cutoffs(timelines)
    base = train.TrainConfig(epochs=args.epochs)
    space = dataset.build_feature_space(timelines, cut[0], terms, base.model.max_seq_len)
    enc = dataset.encode(timelines, space, cut)
    rows = []
    for d, ffn, layers in CANDIDATES:
        tc = train.TrainConfig(epochs=args.epochs,
                               model=ModelConfig(d_model=d, ffn_dim=ffn, n_layers=layers))
        t0 = time.time()
        model = train.train_model(enc, space, tc, log=lambda *_: None)
        secs = time.time() - t0
        r = evaluate.evaluate_split(model, enc, space, dataset.VALID)
        lat = evaluate.cpu_latency(model, space, repeats=8)
        rows.append(f"| {d} | {ffn} | {layers} | {secs:.0f} | {lat['us_per_seq_batch1']} | "
                    f"{lat['us_per_seq_batch256']} | {r['next_item']['transformer']['ndcg@10']:.4f} | "
                    f"{r['purchase']['transformer']['roc_auc']:.4f} |")
        print(rows[-1], flush=True)
    text = (f"### Size comparison ({args.epochs} epochs each, validation split, same data/seed)\n\n"
            "| d_model | ffn | layers | train s | us/seq b1 | us/seq b256 | NDCG@10 | purchase AUC |\n"
            "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
