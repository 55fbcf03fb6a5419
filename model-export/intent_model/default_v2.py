"""The default model with the v2 recipe, STAGED in artifacts/v2/ (the Java app still serves v1).

    model-export/train_default_v2.sh [--epochs N]
Same simulator data as the v1 default (seed 7, written to CSV and loaded back through the
generic loader), the v2 recipe of train_v2.py, then export_v2: prefill and step graphs,
sidecar, stream parity fixtures.
"""
import argparse
import json
import os
from dataclasses import asdict, replace

import numpy as np

from . import dataset
from . import export_v2
from . import loaders
from . import metrics as M
from . import simulator
from . import train_v2 as T

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # model-export/


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "artifacts", "v2"))
    ap.add_argument("--epochs", type=int, default=T.TrainConfigV2.epochs)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    tc = replace(T.TrainConfigV2(), epochs=args.epochs, seed=args.seed)
    sim = simulator.SimConfig(seed=args.seed)
    catalog, events = simulator.simulate(sim)
    csv_path = os.path.join(HERE, ".data", "sim", "events.csv")
    simulator.write_csv(events, csv_path)
    events, report = loaders.load_generic(csv_path)
    cat_json = catalog.to_json()
    terms = {t: c["id"] for c in cat_json["categories"] for t in c["terms"]}
    timelines = dataset.order_timelines(events)
    cutoffs = dataset.time_cutoffs(timelines)
    space = dataset.build_feature_space(timelines, cutoffs[0], terms, 50)
    data = T.Prepared(dataset.encode(timelines, space, cutoffs), space, tc.model.receptive_field)
    model = T.train(data, tc)
    valid = np.flatnonzero(data.enc.split == dataset.VALID)
    pv = T.predict(model, data, valid, tc)
    offsets = T.action_offsets(pv["action"], data.enc.next_action[valid])
    r = pv["rank"][pv["rank"] >= 0]
    summary = {"source": "simulator", "seed": args.seed, "load": report.summary(),
               **dataset.split_summary(data.enc, timelines)}
    extra = {"training_data": summary, "train_config": asdict(tc),
             "next_action_decision_offsets": offsets.round(4).tolist(),
             "validation": {"ndcg@10": M.ndcg_at_k(r, 10),
                            "purchase_roc_auc": M.roc_auc(data.enc.purchase[valid], pv["purchase"]),
                            "purchase_ece": M.expected_calibration_error(data.enc.purchase[valid],
                                                                        pv["purchase"])}}
    export_v2.export_all(model, space, args.out, extra)
    print(json.dumps(extra["validation"]))


if __name__ == "__main__":
    main()
