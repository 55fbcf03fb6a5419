"""Cluster bootstrap: resample shoppers (or sessions) with replacement, recompute each metric.

Prefixes of one shopper are correlated, so resampling prefixes would give too narrow intervals.
Every function takes the per-prefix values plus a group id per prefix and returns, per
resample, the metric for each column; `interval` turns those into a 95% percentile interval.
"""
import warnings

import numpy as np



def group_weights(groups: np.ndarray, n_boot: int, seed: int):
    """-> (dense group index per prefix, [n_boot, G] multiplicities of each group)."""
    _, g = np.unique(groups, return_inverse=True)
    G = g.max() + 1 if len(g) else 0
    rng = np.random.RandomState(seed)
    return g, rng.multinomial(G, np.full(G, 1.0 / G), size=n_boot).astype(np.float64) if G else None


def mean_metric(values: np.ndarray, g: np.ndarray, w: np.ndarray) -> np.ndarray:
    """values [N, K] (one column per model) -> [n_boot, K] resampled means."""
    G = w.shape[1]
    sums = np.zeros((G, values.shape[1]))
    np.add.at(sums, g, values)
    counts = np.bincount(g, minlength=G).astype(float)
    return (w @ sums) / np.maximum(w @ counts, 1e-12)[:, None]


def auc_metric(y: np.ndarray, scores: np.ndarray, g: np.ndarray, w: np.ndarray) -> np.ndarray:
    """ROC-AUC of each score column under each resample's prefix weights -> [n_boot, K]."""
    out = np.zeros((w.shape[0], scores.shape[1]))
    y = y.astype(bool)
    for k in range(scores.shape[1]):
        uniq, inv = np.unique(scores[:, k], return_inverse=True)   # ties share a score group
        for b in range(w.shape[0]):
            pw = w[b, g]
            pos = np.bincount(inv, weights=pw * y, minlength=len(uniq))
            neg = np.bincount(inv, weights=pw * ~y, minlength=len(uniq))
            below = np.cumsum(neg) - neg
            den = pos.sum() * neg.sum()
            out[b, k] = np.sum(pos * (below + 0.5 * neg)) / den if den > 0 else np.nan
    return out


def macro_f1_metric(y: np.ndarray, preds: np.ndarray, g: np.ndarray, w: np.ndarray,
                    n_classes: int) -> np.ndarray:
    """Macro-F1 (classes present in truth or prediction) of each prediction column."""
    G = w.shape[1]
    out = np.zeros((w.shape[0], preds.shape[1]))
    for k in range(preds.shape[1]):
        conf = np.zeros((G, n_classes * n_classes))
        np.add.at(conf, (g, y * n_classes + preds[:, k]), 1.0)
        c = (w @ conf).reshape(-1, n_classes, n_classes)           # [B, true, pred]
        tp = np.einsum("bii->bi", c)
        fp, fn = c.sum(1) - tp, c.sum(2) - tp
        present = (c.sum(1) + c.sum(2)) > 0
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-12), 0.0)
        out[:, k] = (f1 * present).sum(1) / np.maximum(present.sum(1), 1)
    return out


def interval(samples: np.ndarray):
    """95% percentile interval of each column (NaN resamples ignored; all NaN -> NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(samples, 2.5, axis=0), np.nanpercentile(samples, 97.5, axis=0)
