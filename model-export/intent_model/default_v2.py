"""Train the streaming model (v2 recipe) and export a servable model version, in one command.

The packaged default model (simulator data, seed 7, written to CSV and loaded back through the
generic loader, the path a real export takes) -> artifacts/, which the stream app's jar ships:
    model-export/train_default.sh [--epochs N]
A shop's own clickstream export -> a version folder for the app's `model.dir`:
    model-export/train_default.sh --format rees46|taobao|retailrocket|yoochoose|generic \\
        --input PATH --out DIR [--max-rows N] [--mapping mapping.json]
Writes the prefill and step graphs, the sidecar, stream parity and raw-event fixtures
(export_v2) and, for the simulator, the demo catalog. Epoch, purchase calibration and decision
offsets are chosen on the log's own validation split (train_v2.py).
"""
import argparse
import json
import os
from dataclasses import asdict, replace

import numpy as np

from . import dataset
from . import export
from . import export_v2
from . import loaders
from . import metrics as M
from . import simulator
from . import train_v2 as T

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # model-export/


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--format", default="simulator", choices=["simulator", *sorted(loaders.LOADERS)])
    ap.add_argument("--input", help="the export's path (not for --format simulator)")
    ap.add_argument("--mapping", help="generic format: JSON file with GenericMapping fields")
    ap.add_argument("--max-rows", type=int, default=None, help="read only the first N data rows")
    ap.add_argument("--out", default=os.path.join(HERE, "artifacts"))
    ap.add_argument("--epochs", type=int, default=T.TrainConfigV2.epochs)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    tc = replace(T.TrainConfigV2(), epochs=args.epochs, seed=args.seed)
    cat_json = None
    if args.format == "simulator":
        catalog, events = simulator.simulate(simulator.SimConfig(seed=args.seed))
        csv_path = os.path.join(HERE, ".data", "sim", "events.csv")
        simulator.write_csv(events, csv_path)
        events, report = loaders.load_generic(csv_path)
        cat_json = catalog.to_json()
        terms = {t: c["id"] for c in cat_json["categories"] for t in c["terms"]}
        source = {"source": "simulator", "seed": args.seed}
    else:
        if not args.input:
            ap.error("--input is required for a real export")
        mapping = loaders.GenericMapping(**json.load(open(args.mapping))) if args.mapping else None
        kwargs = {"mapping": mapping} if args.format == "generic" else {}
        events, report = loaders.LOADERS[args.format](args.input, max_rows=args.max_rows, **kwargs)
        terms = export.terms_from_events(events)
        source = {"source": f"{args.format}:{os.path.basename(args.input)}", "seed": args.seed}
    timelines = dataset.order_timelines(events)
    cutoffs = dataset.time_cutoffs(timelines)
    space = dataset.build_feature_space(timelines, cutoffs[0], terms, 50)
    data = T.Prepared(dataset.encode(timelines, space, cutoffs), space, tc.model.receptive_field)
    model = T.train(data, tc)
    valid = np.flatnonzero(data.enc.split == dataset.VALID)
    pv = T.predict(model, data, valid, tc)
    known = data.enc.action_known[valid] == 1
    offsets = T.action_offsets(pv["action"][known], data.enc.next_action[valid][known])
    r = pv["rank"][pv["rank"] >= 0]
    summary = {**source, "load": report.summary(), **dataset.split_summary(data.enc, timelines)}
    extra = {"training_data": summary, "train_config": asdict(tc),
             "next_action_decision_offsets": offsets.round(4).tolist(),
             "validation": {"ndcg@10": M.ndcg_at_k(r, 10),
                            "purchase_roc_auc": M.roc_auc(data.enc.purchase[valid], pv["purchase"]),
                            "purchase_ece": M.expected_calibration_error(data.enc.purchase[valid],
                                                                        pv["purchase"])}}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump(cat_json or export.catalog_from_events(timelines), f)
    popular = space.item_vocab[:200]          # the vocabulary is ordered by training popularity
    export_v2.export_all(model, space, args.out, extra, popular)
    print(json.dumps(extra["validation"]))


if __name__ == "__main__":
    main()
