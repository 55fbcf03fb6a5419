"""Model v1 (full-window Transformer, sidecar format 1): train -> evaluate -> export.

Kept as the comparison baseline of the model card; the stream app serves only the streaming
model (v2: `default_v2.py`, `model-export/train_default.sh`), so the default --out is scratch.

Default model (simulator data, deterministic), from model-export/:
    /usr/bin/python3 -m intent_model.train --out DIR
Real clickstream export:
    /usr/bin/python3 -m intent_model.train --format rees46|taobao|retailrocket|yoochoose|generic \
        --input PATH --out DIR [--max-rows N] [--mapping mapping.json]
"""
import argparse
import copy
import json
import os
import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F

from . import dataset
from . import evaluate
from . import export
from . import loaders
from . import metrics
from . import report
from . import simulator
from .model import IntentModel, ModelConfig

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # model-export/


@dataclass
class TrainConfig:
    """The whole recipe: the model's own settings nested (vocabulary sizes are set from the
    data), then the training loop's."""
    model: ModelConfig = field(default_factory=ModelConfig)
    seed: int = 7
    weight_decay: float = 0.01
    valid_sample: int = 3000      # validation prefixes scored after each epoch
    epochs: int = 12
    batch_size: int = 32          # windows per step (each scores up to L prefixes)
    stride: int = 10
    lr: float = 5e-3
    max_items: int = 20000


def set_determinism(seed: int) -> None:
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    np.random.seed(seed)


def to_tensors(batch: dict) -> dict:
    return {k: torch.from_numpy(np.ascontiguousarray(v)).long() for k, v in batch.items()}


def train_model(enc, space, tc: TrainConfig, log=print) -> IntentModel:
    set_determinism(tc.seed)
    cfg = replace(tc.model, n_items=space.n_items, n_categories=space.n_categories,
                  n_gap_buckets=space.n_gap_buckets)
    model = IntentModel(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=tc.lr, weight_decay=tc.weight_decay)
    chunks = dataset.training_chunks(enc, tc.model.max_seq_len, tc.stride)
    _, _, scored = dataset.chunk_batch(enc, chunks)
    chunks = chunks[scored.any(axis=1)]                 # windows with no training position
    steps_per_epoch = max(1, int(np.ceil(len(chunks) / tc.batch_size)))
    total = steps_per_epoch * tc.epochs
    warmup = min(100, total // 10 + 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(s, total) / total)))
    rng = np.random.RandomState(tc.seed)
    log(f"training: {len(chunks)} windows, {steps_per_epoch} steps/epoch")
    # Model selection on the validation split (never the test split): keep the best epoch.
    valid_ends = np.flatnonzero(enc.split == dataset.VALID)
    valid_ends = valid_ends[rng.permutation(len(valid_ends))[:tc.valid_sample]]
    best, best_state = -np.inf, None
    for epoch in range(tc.epochs):
        model.train()
        t0, sums = time.time(), np.zeros(3)
        for batch in _length_bucketed(chunks, tc.batch_size, rng):
            inputs, targets, scored = dataset.chunk_batch(enc, batch)
            x_in = to_tensors(inputs)
            h, _ = model.hidden(**x_in)
            mask = torch.from_numpy(scored)
            action_logits, purchase_logit, item_logits = model.logits(h[mask])
            loss_a = F.cross_entropy(action_logits, torch.from_numpy(targets["next_action"][scored]))
            loss_p = F.binary_cross_entropy_with_logits(
                purchase_logit, torch.from_numpy(targets["purchase"][scored]).float())
            next_item = torch.from_numpy(targets["next_item"])
            with_item = mask & (next_item >= 0)
            loss_i = (-model.item_log_likelihood(h, x_in["item_ids"], item_logits[with_item[mask]],
                                                 next_item, with_item).mean()
                      if with_item.any() else torch.zeros(()))
            loss = loss_a + loss_p + loss_i
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            sums += [loss_a.item(), loss_p.item(), loss_i.item()]
        a, p, i = sums / steps_per_epoch
        model.eval()
        ndcg, auc = _valid_score(model, enc, valid_ends, tc.model.max_seq_len)
        if ndcg + auc > best:
            best, best_state = ndcg + auc, copy.deepcopy(model.state_dict())
        log(f"epoch {epoch + 1}/{tc.epochs}: loss action {a:.3f} purchase {p:.3f} item {i:.3f} | "
            f"valid ndcg@10 {ndcg:.4f} purchase auc {auc:.4f} ({time.time() - t0:.0f}s)")
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return model


def _valid_score(model, enc, ends, L):
    if len(ends) == 0:
        return 0.0, 0.0
    _, purchase, ranks = evaluate.model_predictions(model, enc, ends, L)
    auc = metrics.roc_auc(enc.purchase[ends], purchase)
    return metrics.ndcg_at_k(ranks, 10) if len(ranks) else 0.0, 0.0 if np.isnan(auc) else auc


def _length_bucketed(chunks, batch_size, rng, pool=50):
    """Shuffled batches of similar-length windows (less padding), deterministic by rng."""
    perm = chunks[rng.permutation(len(chunks))]
    batches = []
    for g in range(0, len(perm), batch_size * pool):
        group = perm[g:g + batch_size * pool]
        group = group[np.argsort(group[:, 1] - group[:, 0], kind="stable")]
        batches += [group[i:i + batch_size] for i in range(0, len(group), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def run_pipeline(events, term_categories, out_dir, tc: TrainConfig, source: dict,
                 catalog_json=None, card_copy=None, log=print) -> dict:
    t_start = time.time()
    os.makedirs(out_dir, exist_ok=True)
    timelines = dataset.order_timelines(events)
    cutoffs = dataset.time_cutoffs(timelines)
    space = dataset.build_feature_space(timelines, cutoffs[0], term_categories, tc.model.max_seq_len,
                                        max_items=tc.max_items)
    enc = dataset.encode(timelines, space, cutoffs)
    summary = dict(source, **dataset.split_summary(enc, timelines),
                   item_vocab=len(space.item_vocab), category_vocab=len(space.category_vocab))
    log(f"data: {json.dumps(summary)}")
    t_train = time.time()
    model = train_model(enc, space, tc, log)
    train_s = time.time() - t_train
    results = evaluate.evaluate_split(model, enc, space, dataset.TEST, out_dir)
    results_valid = evaluate.evaluate_split(model, enc, space, dataset.VALID, None)
    if catalog_json is None:
        catalog_json = export.catalog_from_events(timelines)
    with open(os.path.join(out_dir, "catalog.json"), "w") as f:
        json.dump(catalog_json, f)
    popular = [space.item_vocab[i] for i in range(min(len(space.item_vocab), 200))]
    info = export.export_all(model, space, out_dir, summary, popular, asdict(tc), log)
    timing = evaluate.cpu_latency(model, space)
    run = {"train_seconds": round(train_s, 1), "total_seconds": round(time.time() - t_start, 1),
           "onnx_bytes": info["onnx_bytes"], "model_version": info["model_version"], **timing}
    report.write_model_card(os.path.join(out_dir, "MODEL_CARD.md"), summary, asdict(tc),
                            results, results_valid, run, card_copy)
    log(json.dumps(run))
    return {"results": results, "run": run, "summary": summary}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--format", default="simulator",
                    choices=["simulator", "rees46", "taobao", "retailrocket", "yoochoose", "generic"])
    ap.add_argument("--input", help="CSV path (not for --format simulator)")
    ap.add_argument("--out", default=os.path.join(HERE, ".data", "v1-model"))
    ap.add_argument("--mapping", help="generic format: JSON file with GenericMapping fields")
    ap.add_argument("--max-rows", type=int, default=None, help="read only the first N data rows")
    ap.add_argument("--seed", type=int, default=TrainConfig.seed)
    ap.add_argument("--users", type=int, default=simulator.SimConfig.n_users)
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument("--ffn-dim", type=int, default=ModelConfig.ffn_dim)
    ap.add_argument("--d-model", type=int, default=ModelConfig.d_model)
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    args = ap.parse_args(argv)
    tc = TrainConfig(seed=args.seed, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                     model=ModelConfig(ffn_dim=args.ffn_dim, d_model=args.d_model))
    if args.format == "simulator":
        sim = simulator.SimConfig(seed=args.seed, n_users=args.users)
        catalog, events = simulator.simulate(sim)
        data_dir = os.path.join(HERE, ".data", "sim")
        simulator.write_csv(events, os.path.join(data_dir, "events.csv"))
        # Train from the CSV through the generic loader: the same path a real export takes.
        events, report = loaders.load_generic(os.path.join(data_dir, "events.csv"))
        cat_json = catalog.to_json()
        terms = {t: c["id"] for c in cat_json["categories"] for t in c["terms"]}
        source = {"source": "simulator", "seed": args.seed, "sim_config": asdict(sim),
                  "load": report.summary()}
        card_copy = os.path.join(HERE, "MODEL_CARD.md") \
            if os.path.abspath(args.out) == os.path.join(HERE, "artifacts") else None
        run_pipeline(events, terms, args.out, tc, source, cat_json, card_copy)
        return
    if not args.input:
        ap.error("--input is required for real data")
    if args.format == "generic":
        mapping = loaders.GenericMapping(**json.load(open(args.mapping))) if args.mapping else None
        events, report = loaders.load_generic(args.input, mapping, max_rows=args.max_rows)
    else:
        events, report = loaders.LOADERS[args.format](args.input, max_rows=args.max_rows)
    print(report.summary())
    terms = export.terms_from_events(events)
    source = {"source": f"{args.format}:{os.path.basename(args.input)}", "seed": args.seed,
              "load": report.summary()}
    run_pipeline(events, terms, args.out, tc, source)


if __name__ == "__main__":
    main()
