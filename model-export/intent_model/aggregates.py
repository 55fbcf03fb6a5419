"""Session and history aggregates of a prefix: the v2 model's explicit side inputs.

One definition, used for training, evaluation and the serving fixtures (the Java scorer must
compute the same numbers from its stored events). The aggregates of the prefix ending at event t
are a function of the newest `window` events up to t only (t included), so they can be
recomputed from the event store or updated event by event, and give the same result.

Inside that window, a session is the trailing run of events whose gaps are at most
SESSION_GAP_MS (times only: every source has them, not every source has session ids), and the
cart is what was added minus removed since the last CHECKOUT (carts outlive sessions).
"""
import math
from typing import List, NamedTuple, Sequence

import numpy as np

from .events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW

SESSION_GAP_MS = 30 * 60 * 1000

# Order = column order of the model's `aggregates` input. All are log1p of a non-negative count,
# duration (seconds) or amount, so the sidecar needs no scaling constants beyond these names.
NAMES = [
    "session_views", "session_searches", "session_adds", "session_removes", "session_checkouts",
    "session_events", "session_duration_s", "seconds_since_previous_event",
    "cart_lines", "cart_value",
    "current_item_seen_before", "current_category_seen_before",
    "checkouts_before_session", "sessions_before", "events_before_session",
]
N_AGGREGATES = len(NAMES)


class Step(NamedTuple):
    """What the aggregates read of one event: the model step ids plus time and price."""
    action: int
    item: int          # model item id (PAD/OOV/NONE specials < 3 count as "no item")
    category: int
    time_ms: int
    price: float       # 0.0 when unknown


def prefix_aggregates(window: Sequence[Step]) -> List[float]:
    """Aggregates of the prefix whose newest `len(window)` events are `window` (oldest first)."""
    n = len(window)
    last = window[-1]
    s0 = n - 1                                    # first index of the current session
    while s0 > 0 and window[s0].time_ms - window[s0 - 1].time_ms <= SESSION_GAP_MS:
        s0 -= 1
    counts = {VIEW: 0, SEARCH: 0, ADD_TO_CART: 0, REMOVE_FROM_CART: 0, CHECKOUT: 0}
    for st in window[s0:]:
        if st.action in counts:
            counts[st.action] += 1
    lines, value = 0, 0.0
    for st in window:
        if st.action == CHECKOUT:
            lines, value = 0, 0.0
        elif st.action == ADD_TO_CART:
            lines, value = lines + 1, value + st.price
        elif st.action == REMOVE_FROM_CART:
            lines, value = max(0, lines - 1), max(0.0, value - st.price)
    item_seen = sum(1 for st in window[:-1] if last.item >= 3 and st.item == last.item)
    cat_seen = sum(1 for st in window[:-1] if last.category >= 3 and st.category == last.category)
    before = window[:s0]
    sessions_before = (1 + sum(1 for a, b in zip(before, before[1:])
                               if b.time_ms - a.time_ms > SESSION_GAP_MS)) if before else 0
    raw = [counts[VIEW], counts[SEARCH], counts[ADD_TO_CART], counts[REMOVE_FROM_CART],
           counts[CHECKOUT], n - s0, (last.time_ms - window[s0].time_ms) / 1000.0,
           (last.time_ms - window[-2].time_ms) / 1000.0 if n > 1 else 0.0,
           lines, value, item_seen, cat_seen,
           sum(1 for st in before if st.action == CHECKOUT), sessions_before, len(before)]
    return [math.log1p(max(0.0, float(v))) for v in raw]


def encoded_aggregates(enc, window: int) -> np.ndarray:
    """[events, N_AGGREGATES] float32 for every prefix of an Encoded log (dataset.Encoded)."""
    out = np.zeros((len(enc.action), N_AGGREGATES), dtype=np.float32)
    steps = [Step(int(a), int(i), int(c), int(t), float(p)) for a, i, c, t, p in
             zip(enc.action, enc.item, enc.category, enc.time_ms, enc.price)]
    for e in range(len(steps)):
        lo = max(int(enc.user_start[e]), e - window + 1)
        out[e] = prefix_aggregates(steps[lo:e + 1])
    return out
