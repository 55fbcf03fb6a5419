"""Events -> per-user encoded timelines, training targets, time-based split, batches.

Every prefix (ending at event t) is one example. Evaluation builds its input exactly like
serving: the newest L events up to t, the first step of that window getting the first_event
gap bucket. Training scores all prefixes of a window in one causal pass (training_chunks): exact
for the first L events of a user, and for later events a context of at least L - stride events. Sessions are assigned to a split by their start time (cut-offs at
event-time quantiles); training sessions must also END before the first cut-off, and
training next-item targets after the cut-off are dropped, so nothing from the future leaks.
"""
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np

from .events import CHECKOUT, END_SESSION, Event, next_action_class
from .aggregates import SESSION_GAP_MS
from .features import GAP_FIRST_EVENT_ID, GAP_PAD_ID, FIRST_ID, NONE_ID, PAD_ID, FeatureSpace

TRAIN, VALID, TEST = 0, 1, 2
SPLIT_NAMES = ["train", "valid", "test"]


def order_timelines(events: Sequence[Event]) -> List[List[Event]]:
    """Group by user; dedup event ids (first wins); stable sort by time (input order = arrival)."""
    by_user: Dict[str, List[Event]] = {}
    seen = set()
    for e in events:
        if e.event_id and (e.user_id, e.event_id) in seen:
            continue
        seen.add((e.user_id, e.event_id))
        by_user.setdefault(e.user_id, []).append(e)
    return [sorted(evs, key=lambda e: e.time_ms) for _, evs in sorted(by_user.items())]


def time_cutoffs(timelines: List[List[Event]], valid_frac=0.1, test_frac=0.1):
    times = np.array([e.time_ms for tl in timelines for e in tl], dtype=np.int64)
    return (int(np.quantile(times, 1 - valid_frac - test_frac)),
            int(np.quantile(times, 1 - test_frac)))


def build_feature_space(timelines, cut_train: int, term_categories: Dict[str, str],
                        max_seq_len: int, max_items: int = 20000, max_categories: int = 2000,
                        min_item_count: int = 2) -> FeatureSpace:
    """Vocabularies from training-period events only, most frequent first (ties by id)."""
    items, cats = Counter(), Counter()
    for tl in timelines:
        for e in tl:
            if e.time_ms >= cut_train:
                break
            if e.item_id is not None:
                items[e.item_id] += 1
            if e.category_id is not None:
                cats[e.category_id] += 1
    item_vocab = [i for i, c in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
                  if c >= min_item_count][:max_items]
    cat_vocab = [c for c, _ in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))][:max_categories]
    return FeatureSpace(item_vocab, cat_vocab, term_categories, max_seq_len)


@dataclass
class Encoded:
    """Flat arrays over all events of all users (users are contiguous, time-ordered)."""
    action: np.ndarray
    item: np.ndarray
    category: np.ndarray
    gap: np.ndarray           # bucket of the gap to the previous event of the same user
    user_start: np.ndarray    # index of the user's first event, per event
    session_start: np.ndarray  # index of the first event of the event's session
    next_action: np.ndarray
    action_known: np.ndarray  # 1 = the log runs on a session gap past the event (see encode)
    purchase: np.ndarray      # 1 if CHECKOUT later in the same session
    next_item: np.ndarray     # -1 = no target (or a target outside the vocabulary)
    next_item_case: np.ndarray  # 1 = the next event carries an item, in the vocabulary or not
    raw_item: np.ndarray      # per event: code of the raw item id over ALL items (-1 = none)
    next_raw_item: np.ndarray  # raw code of the next event's item (-1 = none)
    price: np.ndarray         # float, 0.0 when the source has none
    split: np.ndarray         # TRAIN/VALID/TEST of the event's session, -1 = unused
    time_ms: np.ndarray
    cutoffs: tuple


def encode(timelines: List[List[Event]], space: FeatureSpace, cutoffs,
           user_split: Optional[Dict[str, int]] = None) -> Encoded:
    """`user_split` (user id -> TRAIN/VALID/TEST) replaces the time split: held-out shoppers.

    A next action is known only where the log runs on for SESSION_GAP_MS after the event: nearer
    the log's end, "the session ended" is what the end of the recording says, not the shopper
    (on a 2-hour log whose test period is its last 13 minutes, 82% of test labels were that).
    The rule reads the event's time only, never its label, so it selects no class. It is exact
    for sessions split on that gap (sessionize); a source's own session ids (REES46, YOOCHOOSE)
    may hold longer gaps, which it does not see."""
    cut_train, cut_valid = cutoffs
    log_end = max((tl[-1].time_ms for tl in timelines), default=0)
    cols = {k: [] for k in ("action", "item", "category", "gap", "user_start", "session_start", "next_action",
                            "action_known",
                            "purchase", "next_item", "split", "time_ms", "next_item_case", "raw_item",
                            "next_raw_item", "price")}
    raw_codes: Dict[str, int] = {}

    def raw(ev):
        if ev is None or ev.item_id is None or space.step(ev)[1] == NONE_ID:
            return -1
        return raw_codes.setdefault(ev.item_id, len(raw_codes))
    for tl in timelines:
        start = len(cols["action"])
        # Session spans for split assignment and purchase labels.
        first_t, last_t = {}, {}
        for e in tl:
            first_t.setdefault(e.session_id, e.time_ms)
            last_t[e.session_id] = e.time_ms
        checkout_after = [0] * len(tl)
        pending = set()
        for i in range(len(tl) - 1, -1, -1):
            checkout_after[i] = int(tl[i].session_id in pending)
            if tl[i].action == CHECKOUT:
                pending.add(tl[i].session_id)
        for i, e in enumerate(tl):
            a, it, c = space.step(e)
            nxt = tl[i + 1] if i + 1 < len(tl) else None
            same = nxt is not None and nxt.session_id == e.session_id
            nxt_item = space.step(nxt)[1] if nxt is not None else -1
            s0 = first_t[e.session_id]
            if user_split is not None:
                split = user_split[e.user_id]
            elif s0 >= cut_valid:
                split = TEST
            elif s0 >= cut_train:
                split = VALID
            elif last_t[e.session_id] < cut_train:
                split = TRAIN
            else:
                split = -1                     # straddles the train cut-off: unused
            nxt_raw = raw(nxt)
            if user_split is None and split == TRAIN and nxt is not None and nxt.time_ms >= cut_train:
                nxt_item = nxt_raw = -1        # target lies in the future of the training period
            cols["action"].append(a)
            cols["item"].append(it)
            cols["category"].append(c)
            cols["gap"].append(GAP_FIRST_EVENT_ID if i == 0
                               else space.gap_bucket(e.time_ms - tl[i - 1].time_ms))
            cols["user_start"].append(start)
            same_as_prev = i > 0 and tl[i - 1].session_id == e.session_id
            cols["session_start"].append(cols["session_start"][-1] if same_as_prev
                                         else start + i)
            cols["next_action"].append(next_action_class(nxt.action) if same else END_SESSION)
            cols["action_known"].append(int(e.time_ms + SESSION_GAP_MS <= log_end))
            cols["purchase"].append(checkout_after[i])
            cols["next_item"].append(nxt_item if nxt_item >= FIRST_ID else -1)
            cols["split"].append(split)
            cols["time_ms"].append(e.time_ms)
            cols["next_item_case"].append(int(nxt_raw >= 0))
            cols["raw_item"].append(raw(e))
            cols["next_raw_item"].append(nxt_raw)
            cols["price"].append(_price(e.price))
    arr = {k: np.asarray(v, dtype=np.float64 if k == "price" else np.int64) for k, v in cols.items()}
    return Encoded(cutoffs=tuple(cutoffs), **arr)


def _price(value) -> float:
    try:
        p = float(value) if value is not None else 0.0
    except ValueError:
        return 0.0
    return p if np.isfinite(p) and p > 0 else 0.0


def windows(enc: Encoded, ends: np.ndarray, L: int) -> Dict[str, np.ndarray]:
    """Model inputs for prefixes ending at flat indices `ends`: newest L events, right-padded."""
    starts = np.maximum(enc.user_start[ends], ends - L + 1)
    lengths = ends - starts + 1
    idx = starts[:, None] + np.arange(L)[None, :]
    valid = idx <= ends[:, None]
    idx = np.where(valid, idx, 0)
    gap = np.where(valid, enc.gap[idx], GAP_PAD_ID)
    gap[:, 0] = GAP_FIRST_EVENT_ID        # no gap from an event outside the window
    return {
        "action_ids": np.where(valid, enc.action[idx], PAD_ID),
        "item_ids": np.where(valid, enc.item[idx], PAD_ID),
        "category_ids": np.where(valid, enc.category[idx], PAD_ID),
        "gap_buckets": gap,
        "lengths": lengths,
    }


def split_summary(enc: Encoded, timelines) -> dict:
    n_sessions = len({(e.user_id, e.session_id) for tl in timelines for e in tl})
    return {
        "users": len(timelines), "events": int(len(enc.action)), "sessions": n_sessions,
        "examples": {SPLIT_NAMES[s]: int((enc.split == s).sum()) for s in (TRAIN, VALID, TEST)},
        "cutoffs_ms": {"train_before": enc.cutoffs[0], "valid_before": enc.cutoffs[1]},
        "purchase_rate": {SPLIT_NAMES[s]: round(float(enc.purchase[enc.split == s].mean()), 4)
                          for s in (TRAIN, VALID, TEST) if (enc.split == s).any()},
    }


def training_chunks(enc: Encoded, L: int, stride: int) -> np.ndarray:
    """Windows [start, end) covering every event once as a scored position.

    Returns rows (start, end, first_scored_offset). A user's first window starts at their first
    event (positions score exactly what serving would see); later windows advance by `stride`
    and score only their newest positions, each of which keeps >= L - stride events of context.
    """
    rows = []
    firsts = np.flatnonzero(enc.user_start == np.arange(len(enc.user_start)))
    bounds = np.r_[firsts, len(enc.user_start)]
    for u0, u1 in zip(bounds[:-1], bounds[1:]):
        end = min(u1, u0 + L)
        rows.append((u0, end, 0))
        while end < u1:
            new_end = min(u1, end + stride)
            rows.append((new_end - L, new_end, L - (new_end - end)))
            end = new_end
    return np.asarray(rows, dtype=np.int64)


def chunk_batch(enc: Encoded, chunks: np.ndarray):
    """Inputs padded to the batch's longest chunk, plus per-position targets and train mask."""
    lengths = chunks[:, 1] - chunks[:, 0]
    S = int(lengths.max())
    idx = chunks[:, :1] + np.arange(S)[None, :]
    valid = np.arange(S)[None, :] < lengths[:, None]
    idx = np.where(valid, idx, 0)
    gap = np.where(valid, enc.gap[idx], GAP_PAD_ID)
    gap[:, 0] = GAP_FIRST_EVENT_ID
    inputs = {"action_ids": np.where(valid, enc.action[idx], PAD_ID),
              "item_ids": np.where(valid, enc.item[idx], PAD_ID),
              "category_ids": np.where(valid, enc.category[idx], PAD_ID),
              "gap_buckets": gap}
    scored = valid & (np.arange(S)[None, :] >= chunks[:, 2:3]) & (enc.split[idx] == TRAIN)
    targets = {"next_action": enc.next_action[idx], "purchase": enc.purchase[idx],
               "next_item": np.where(scored, enc.next_item[idx], -1)}
    return inputs, targets, scored
