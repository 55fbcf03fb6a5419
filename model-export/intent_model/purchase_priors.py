"""Purchase priors: how often a prefix ending on an item (or a category) led to a purchase.

On real logs the session's counts say little about buying (Taobao's carts persist for days and
relate inversely to it); what an item or category converts at carries over to new shoppers.
The tables are fitted on the training split only and exported as constants of the graph, so
serving looks them up by the newest event's model item and category ids: no new input.

Per key (an item id, a category id): the purchase rate of training prefixes ending on it,
smoothed towards the overall rate with SMOOTHING pseudo-prefixes, as log-odds against that
rate, beside log1p(prefixes seen). Both columns are standardised over training rows.

Training rows get leave-one-shopper-out values (the shopper's own prefixes removed from the
key's counts): a table that holds the row's own label would teach the head to trust it far more
than it deserves on shoppers it has never seen. Known residue: among the shoppers of one key,
leaving yourself out moves the value against your own label (a buyer's value is the key's rate
without that purchase), so a fitted weight is biased towards zero on keys with few shoppers.
Fitting on priors computed from a disjoint part of the training shoppers would remove it, at
the cost of data; K-fold cross-fitting only dilutes it.
"""
from typing import NamedTuple

import numpy as np

from . import dataset
from .features import FIRST_ID

SMOOTHING = 20.0
COLUMNS = ["item_purchase_log_odds", "item_log_prefixes", "category_purchase_log_odds",
           "category_log_prefixes"]


class PurchasePriors(NamedTuple):
    item_table: np.ndarray       # [n_items, 2] standardised, what serving looks up
    category_table: np.ndarray   # [n_categories, 2]
    rows: np.ndarray             # [events, 4]: per prefix, leave-one-shopper-out for training rows


def fit(enc: dataset.Encoded, n_items: int, n_categories: int) -> PurchasePriors:
    tr = enc.split == dataset.TRAIN
    y = enc.purchase.astype(np.float64)
    rate = float(np.clip(y[tr].mean(), 1e-4, 1 - 1e-4)) if tr.any() else 0.5
    item_t, item_rows = _key_table(enc.item, n_items, enc.user_start, y, tr, rate)
    cat_t, cat_rows = _key_table(enc.category, n_categories, enc.user_start, y, tr, rate)
    raw_rows = np.c_[item_rows, cat_rows]
    mu = raw_rows[tr].mean(0) if tr.any() else np.zeros(4)
    # Floored: a column that is constant over training rows (every key seen by one shopper, so
    # every row left out to the overall rate) must not blow its table values up.
    sd = np.maximum(raw_rows[tr].std(0), 1e-2) if tr.any() else np.ones(4)
    return PurchasePriors(((item_t - mu[:2]) / sd[:2]).astype(np.float32),
                          ((cat_t - mu[2:]) / sd[2:]).astype(np.float32),
                          ((raw_rows - mu) / sd).astype(np.float32))


def _key_table(keys, n_keys, shopper, y, tr, rate):
    """-> raw table [n_keys, 2] from all training rows, raw per-row values [events, 2]."""
    known = keys >= FIRST_ID
    use = tr & known
    pos = np.bincount(keys[use], weights=y[use], minlength=n_keys)
    cnt = np.bincount(keys[use], minlength=n_keys).astype(np.float64)
    table = _columns(pos, cnt, rate)
    table[:FIRST_ID] = _columns(np.zeros(1), np.zeros(1), rate)   # no item/category: the prior
    rows = table[np.where(known, keys, 0)]
    # Leave one shopper out: subtract each training row's own shopper's counts for its key.
    idx = np.flatnonzero(use)
    if len(idx):
        pair = shopper[idx] * np.int64(n_keys) + keys[idx]
        uniq, inv = np.unique(pair, return_inverse=True)
        own_pos = np.bincount(inv, weights=y[idx])
        own_cnt = np.bincount(inv).astype(np.float64)
        k = keys[idx]
        rows[idx] = _columns(pos[k] - own_pos[inv], cnt[k] - own_cnt[inv], rate)
    return table, rows


def _columns(pos, cnt, rate):
    r = (pos + SMOOTHING * rate) / (cnt + SMOOTHING)
    return np.c_[np.log(r / (1 - r)) - np.log(rate / (1 - rate)), np.log1p(cnt)]
