"""Baselines scored on exactly the same examples as the Transformer.

Next item (full ranking, ties broken by training popularity): most-popular, item-to-item
Markov (last item -> next item counts), repeat-recent (items of the window, newest first).
Next action: majority class, last-action Markov. Purchase: cart-state rate (observed purchase
rate per current cart size) and a logistic regression on session counts.
"""
from typing import Dict

import numpy as np

from .dataset import TRAIN, Encoded
from .events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW
from .features import FIRST_ID

NEG = -1e12


def popularity(enc: Encoded, n_items: int) -> np.ndarray:
    """Train next-item target counts + a tiny id tie-breaker (ids are frequency ordered)."""
    t = enc.next_item[(enc.split == TRAIN) & (enc.next_item >= FIRST_ID)]
    pop = np.bincount(t, minlength=n_items).astype(float)
    pop -= np.arange(n_items) * 1e-6
    pop[:FIRST_ID] = NEG
    return pop


def last_items(enc: Encoded, ends: np.ndarray, L: int, depth: int) -> np.ndarray:
    """Up to `depth` most recent in-vocab items of each window, newest first (-1 = none)."""
    out = np.full((len(ends), depth), -1, dtype=np.int64)
    for r, e in enumerate(ends):
        lo, k = max(enc.user_start[e], e - L + 1), 0
        for i in range(e, lo - 1, -1):
            it = enc.item[i]
            if it >= FIRST_ID and it not in out[r, :k]:
                out[r, k] = it
                k += 1
                if k == depth:
                    break
    return out


class ItemBaselines:
    def __init__(self, enc: Encoded, n_items: int, L: int):
        self.n_items, self.L = n_items, L
        self.pop = popularity(enc, n_items)
        self.pop_unit = (self.pop - self.pop[FIRST_ID:].min()) / (np.ptp(self.pop[FIRST_ID:]) + 1)
        train = np.flatnonzero((enc.split == TRAIN) & (enc.next_item >= FIRST_ID))
        prev = last_items(enc, train, L, 1)[:, 0]
        ok = prev >= 0
        self.trans: Dict[int, Dict[int, int]] = {}
        for a, b in zip(prev[ok], enc.next_item[train][ok]):
            row = self.trans.setdefault(int(a), {})
            row[int(b)] = row.get(int(b), 0) + 1

    def scores(self, name: str, enc: Encoded, ends: np.ndarray) -> np.ndarray:
        s = np.tile(self.pop if name == "most_popular" else self.pop_unit, (len(ends), 1))
        s[:, :FIRST_ID] = NEG
        if name == "markov":
            prev = last_items(enc, ends, self.L, 1)[:, 0]
            for r, a in enumerate(prev):
                for b, c in self.trans.get(int(a), {}).items():
                    s[r, b] += c
        elif name == "repeat_recent":
            recent = last_items(enc, ends, self.L, self.L)
            for r in range(len(ends)):
                for pos, it in enumerate(recent[r]):
                    if it < 0:
                        break
                    s[r, it] += self.L - pos + 1
        return s


def action_baselines(enc: Encoded, n_classes: int = 6) -> Dict[str, np.ndarray]:
    """Probability tables: 'majority' -> [6]; 'last_action_markov' -> [n_actions, 6]."""
    tr = (enc.split == TRAIN) & (enc.action_known == 1)
    prior = np.bincount(enc.next_action[tr], minlength=n_classes) + 1.0
    table = np.ones((6, n_classes))
    np.add.at(table, (enc.action[tr], enc.next_action[tr]), 1.0)
    return {"majority": prior / prior.sum(), "last_action_markov": table / table.sum(1, keepdims=True)}


def session_features(enc: Encoded) -> np.ndarray:
    """Per event: log counts of each action so far in the session, log session length and
    duration, and the user's current cart size (carts persist across sessions)."""
    n = len(enc.action)
    feats = np.zeros((n, 9))
    counts = np.zeros(6)
    cart = 0
    for i in range(n):
        if i == enc.user_start[i]:
            cart = 0
        if i == enc.session_start[i]:
            counts[:] = 0
        a = enc.action[i]
        counts[a] += 1
        cart = 0 if a == CHECKOUT else max(0, cart + (a == ADD_TO_CART) - (a == REMOVE_FROM_CART))
        dur = (enc.time_ms[i] - enc.time_ms[enc.session_start[i]]) / 1000.0
        feats[i] = [np.log1p(counts[VIEW]), np.log1p(counts[SEARCH]), np.log1p(counts[ADD_TO_CART]),
                    np.log1p(counts[REMOVE_FROM_CART]), counts[CHECKOUT] > 0,
                    np.log1p(counts.sum()), np.log1p(dur), min(cart, 5), cart > 0]
    return feats


class PurchaseBaselines:
    def __init__(self, enc: Encoded, feats: np.ndarray):
        tr = enc.split == TRAIN
        cart = feats[:, 7].astype(int)
        pos = np.bincount(cart[tr], weights=enc.purchase[tr], minlength=6)
        tot = np.bincount(cart[tr], minlength=6)
        self.cart_rate = (pos + 1) / (tot + 2)         # Laplace-smoothed rate per cart size
        self.mu, self.sd = feats[tr].mean(0), feats[tr].std(0) + 1e-9
        self.w = _fit_logistic(self._x(feats[tr]), enc.purchase[tr].astype(float))

    def _x(self, f):
        return np.c_[np.ones(len(f)), (f - self.mu) / self.sd]

    def scores(self, name: str, feats: np.ndarray) -> np.ndarray:
        if name == "cart_state_rate":
            return self.cart_rate[feats[:, 7].astype(int)]
        return 1.0 / (1.0 + np.exp(-self._x(feats) @ self.w))


def _fit_logistic(x, y, l2=1e-3, iters=25):
    """Newton-Raphson on the L2-regularised log loss (9 features: converges in a few steps)."""
    w = np.zeros(x.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w
