"""Where one streaming step's time goes, per part of the graph (BENCHMARKS.md, section 2).

    /usr/bin/python3 -m intent_model.step_cost [--batch 256] [--sidecar artifacts/intent-model.json]
Times PyTorch (one thread, eval mode) on the served model's shape with random weights (cost does
not depend on the weights): the encoder step against a cache, the heads on the aggregates, the
next-item scores over the whole vocabulary, and the softmax + top-K over them; and, for
comparison, the encoder's full pass over 50 stored events (what a prefill pays).
"""
import argparse
import json
import os
import time

import torch

from .model_v2 import StreamConfig, StreamingIntentModel

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ms(f, n=20):
    f()
    start = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - start) / n * 1000


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--sidecar", default=os.path.join(HERE, "artifacts", "intent-model.json"))
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    side = json.load(open(args.sidecar))
    cfg = StreamConfig(**{k: v for k, v in side["model_config"].items() if k in StreamConfig.__dataclass_fields__})
    m = StreamingIntentModel(cfg).eval()
    B, R, W, L = args.batch, cfg.receptive_field, cfg.attn_window, side["max_seq_len"]
    hd = cfg.d_model // cfg.n_heads
    ck = torch.randn(cfg.n_layers, B, cfg.n_heads, W - 1, hd)
    cv = torch.randn_like(ck)
    agg = torch.randn(B, cfg.n_aggregates)
    wa = torch.randint(1, 6, (B, R))
    wi = torch.randint(3, cfg.n_items, (B, R))
    wc = torch.randint(3, cfg.n_categories, (B, R))
    full = {"action_ids": torch.randint(1, 6, (B, L)), "item_ids": torch.randint(3, cfg.n_items, (B, L)),
            "category_ids": torch.randint(3, cfg.n_categories, (B, L)),
            "gap_buckets": torch.randint(2, cfg.n_gap_buckets, (B, L))}
    with torch.no_grad():
        step = lambda: m.step_encode(ck, cv, torch.full((B,), 60), wa[:, -1], wi[:, -1], wc[:, -1],  # noqa: E731
                                     torch.full((B,), 5))
        h = step()[0]
        z = m.features(h, agg)
        logits = m.item_logits(z, wa, wi, wc)
        action, purchase = m.action_logits(z, agg, wa[:, -1]), m.purchase_logit(z, agg, wi[:, -1], wc[:, -1])
        rows = {
            "encoder: one step against the cache": _ms(step),
            "encoder: full pass over %d stored events (prefill)" % L: _ms(lambda: m.encode(**full), 5),
            "heads: aggregates, next action, purchase": _ms(lambda: (m.features(h, agg), m.action_logits(z, agg, wa[:, -1]),
                                                                      m.purchase_logit(z, agg, wi[:, -1], wc[:, -1]))),
            "next-item scores over %d items" % cfg.n_items: _ms(lambda: m.item_logits(z, wa, wi, wc)),
            "softmax and top-K over them": _ms(lambda: m.outputs(action, purchase, logits)),
        }
    print(f"batch {B}, ms per call (PyTorch, 1 thread):")
    for name, ms in rows.items():
        print(f"  {ms:8.1f}  {name}")


if __name__ == "__main__":
    main()
