"""Metric functions (numpy only), small enough to verify by hand in tests."""
import numpy as np


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """0-based rank of each target in its full score row: number of items scoring strictly
    higher. Callers break ties before (baselines add a popularity tie-breaker)."""
    t = scores[np.arange(len(targets)), targets]
    return (scores > t[:, None]).sum(axis=1)


def hit_rate_at_k(ranks: np.ndarray, k: int = 10) -> float:
    return float((ranks < k).mean())


def ndcg_at_k(ranks: np.ndarray, k: int = 10) -> float:
    """One relevant item per case, so IDCG = 1 and DCG = 1/log2(rank+2) inside the top k."""
    gains = np.where(ranks < k, 1.0 / np.log2(ranks + 2.0), 0.0)
    return float(gains.mean())


def accuracy(y_true, y_pred) -> float:
    return float((np.asarray(y_true) == np.asarray(y_pred)).mean())


def macro_f1(y_true, y_pred) -> float:
    """F1 averaged over classes present in y_true or y_pred (sklearn's default label set)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    f1s = []
    for c in np.union1d(y_true, y_pred):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks with ties sharing their average rank."""
    order = np.argsort(x, kind="mergesort")
    sx = x[order]
    ranks = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sx[j + 1] == sx[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return ranks


def roc_auc(y_true, scores) -> float:
    """Mann-Whitney U: P(score of a random positive > random negative), ties count 1/2."""
    y, s = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    n_pos, n_neg = y.sum(), (~y).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    r = _average_ranks(s)
    return float((r[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def pr_auc(y_true, scores) -> float:
    """Average precision: sum over thresholds of (recall step) x precision; tied scores form
    one threshold."""
    y, s = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    if y.sum() == 0:
        return float("nan")
    order = np.argsort(-s, kind="mergesort")
    y, s = y[order], s[order]
    tp, fp = np.cumsum(y), np.cumsum(~y)
    last_of_tie = np.r_[s[1:] != s[:-1], True]
    tp, fp = tp[last_of_tie], fp[last_of_tie]
    precision = tp / (tp + fp)
    recall = tp / y.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def reliability(y_true, probs, n_bins: int = 10):
    """Equal-width bins -> (bin mean predicted, bin observed rate, bin count) arrays."""
    y, p = np.asarray(y_true, dtype=float), np.asarray(probs, dtype=float)
    b = np.minimum((p * n_bins).astype(int), n_bins - 1)
    count = np.bincount(b, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(b, weights=p, minlength=n_bins) / count
        rate = np.bincount(b, weights=y, minlength=n_bins) / count
    return conf, rate, count


def expected_calibration_error(y_true, probs, n_bins: int = 10) -> float:
    conf, rate, count = reliability(y_true, probs, n_bins)
    nz = count > 0
    return float(np.sum(count[nz] * np.abs(conf[nz] - rate[nz])) / count.sum())
