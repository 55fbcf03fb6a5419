"""An untrained streaming model with a large catalogue, for measuring serving cost (BENCHMARKS.md).

    /usr/bin/python3 -m intent_model.catalog_scale --items 100000 --out /tmp/model-100k
The next-item head scores the whole vocabulary on every step (d_model x items multiply-adds plus
a softmax and a top-K), so its cost grows with the catalogue while the rest of a step does not.
This writes a servable version folder (graphs, sidecar, parity fixtures) with random weights and
N items so the Java scorer's step can be timed at that size; its outputs mean nothing.
"""
import argparse

import numpy as np
import torch

from . import aggregates as agg
from . import export_v2
from .features import FeatureSpace
from .model_v2 import StreamConfig, StreamingIntentModel


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--categories", type=int, default=200)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    space = FeatureSpace([f"item-{i}" for i in range(args.items)],
                         [f"cat-{c}" for c in range(args.categories)], {}, 50)
    cfg = StreamConfig(n_items=args.items + 3, n_categories=args.categories + 3,
                       n_gap_buckets=len(space.gap_bounds_ms) + 3, n_aggregates=agg.N_AGGREGATES)
    model = StreamingIntentModel(cfg).eval()
    rng = np.random.RandomState(0)
    with torch.no_grad():   # some transitions and categories, so those paths do real work
        model.trans_ids.copy_(torch.from_numpy(rng.randint(3, cfg.n_items, size=model.trans_ids.shape)))
        model.trans_weight.uniform_(0, 2)
        model.item_category.copy_(torch.from_numpy(rng.randint(3, cfg.n_categories, size=cfg.n_items)))
    export_v2.export_all(model, space, args.out, {"training_data": {"source": "random weights (catalog_scale.py)"}},
                         space.item_vocab[:200])


if __name__ == "__main__":
    main()
