"""Feature mapping: raw event -> one model step. This is the Python twin of the Java code.

Everything here is driven by the sidecar (intent-model.json); FeatureSpace is built from it
or written into it, so training and serving cannot drift apart.
"""
import bisect
import re
from typing import Dict, List, Optional, Sequence, Tuple

from .events import (ACTIONS, ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW, Event)

PAD_ID, OOV_ID, NONE_ID, FIRST_ID = 0, 1, 2, 3
GAP_PAD_ID, GAP_FIRST_EVENT_ID = 0, 1

# Seconds inside a session, minutes around the 30-minute session gap, hours/days between visits.
DEFAULT_GAP_BOUNDS_MS = [
    2_000, 5_000, 10_000, 20_000, 40_000, 90_000, 180_000, 600_000, 1_800_000,
    3_600_000, 6 * 3_600_000, 24 * 3_600_000, 3 * 86_400_000, 7 * 86_400_000, 30 * 86_400_000,
]

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def tokenize(query: Optional[str]) -> List[str]:
    return [t for t in _TOKEN_SPLIT.split((query or "").lower()) if t]


class FeatureSpace:
    """Vocabularies + bucket bounds + search terms; maps events to (action, item, category)."""

    def __init__(self, item_vocab: Sequence[str], category_vocab: Sequence[str],
                 term_categories: Dict[str, str], max_seq_len: int,
                 gap_bounds_ms: Sequence[int] = DEFAULT_GAP_BOUNDS_MS):
        self.item_vocab = list(item_vocab)
        self.category_vocab = list(category_vocab)
        self.item_index = {s: FIRST_ID + i for i, s in enumerate(self.item_vocab)}
        self.category_index = {s: FIRST_ID + i for i, s in enumerate(self.category_vocab)}
        # A term pointing at a category outside the vocab could only ever resolve to OOV, which
        # would make the tie rule ambiguous; such terms are dropped here and so never reach Java.
        self.term_categories = {t: c for t, c in sorted(term_categories.items())
                                if c in self.category_index}
        self.max_seq_len = int(max_seq_len)
        self.gap_bounds_ms = [int(b) for b in gap_bounds_ms]
        assert self.gap_bounds_ms == sorted(set(self.gap_bounds_ms)), "bounds must ascend"

    # ---- sizes for the model -------------------------------------------------------------
    @property
    def n_items(self) -> int:
        return FIRST_ID + len(self.item_vocab)

    @property
    def n_categories(self) -> int:
        return FIRST_ID + len(self.category_vocab)

    @property
    def n_gap_buckets(self) -> int:
        return 2 + len(self.gap_bounds_ms) + 1

    # ---- single-value rules --------------------------------------------------------------
    def item(self, item_id: Optional[str]) -> int:
        return NONE_ID if item_id is None else self.item_index.get(str(item_id), OOV_ID)

    def category(self, category_id: Optional[str]) -> int:
        return NONE_ID if category_id is None else self.category_index.get(str(category_id), OOV_ID)

    def gap_bucket(self, gap_ms: int) -> int:
        # bisect_right = index of the first bound b with gap_ms < b (len(bounds) if none).
        return 2 + bisect.bisect_right(self.gap_bounds_ms, gap_ms)

    def search_category(self, query: Optional[str], category_filter: Optional[str]) -> int:
        if category_filter is not None:
            return self.category(category_filter)
        votes: Dict[int, int] = {}
        for token in tokenize(query):
            cat = self.term_categories.get(token)
            if cat is not None:
                cid = self.category_index[cat]
                votes[cid] = votes.get(cid, 0) + 1
        if not votes:
            return NONE_ID
        return min(votes, key=lambda cid: (-votes[cid], cid))  # most votes, then smallest id

    def step(self, ev: Event) -> Tuple[int, int, int]:
        """(action id, item id, category id) for one event; gap is a property of the window."""
        if ev.action == SEARCH:
            return SEARCH, NONE_ID, self.search_category(ev.query, ev.category_id)
        if ev.action == CHECKOUT:
            return CHECKOUT, NONE_ID, NONE_ID
        return ev.action, self.item(ev.item_id), self.category(ev.category_id)

    def window(self, events: Sequence[Event]) -> Dict[str, List[int]]:
        """Steps for events already deduplicated and time-ordered: newest L, per-window gaps."""
        kept = list(events)[-self.max_seq_len:]
        out = {"action_ids": [], "item_ids": [], "category_ids": [], "gap_buckets": []}
        for i, ev in enumerate(kept):
            a, it, c = self.step(ev)
            out["action_ids"].append(a)
            out["item_ids"].append(it)
            out["category_ids"].append(c)
            out["gap_buckets"].append(GAP_FIRST_EVENT_ID if i == 0
                                      else self.gap_bucket(ev.time_ms - kept[i - 1].time_ms))
        out["length"] = len(kept)
        return out

    # ---- sidecar round trip --------------------------------------------------------------
    def sidecar_parts(self) -> dict:
        specials = {"pad_id": PAD_ID, "oov_id": OOV_ID, "none_id": NONE_ID, "first_id": FIRST_ID}
        return {
            "max_seq_len": self.max_seq_len,
            "actions": list(ACTIONS),
            "items": dict(specials, vocab=self.item_vocab),
            "categories": dict(specials, vocab=self.category_vocab),
            "gap_buckets": {"pad_id": GAP_PAD_ID, "first_event_id": GAP_FIRST_EVENT_ID,
                            "upper_bounds_ms": self.gap_bounds_ms},
            "search": {"term_categories": self.term_categories},
        }

    @classmethod
    def from_sidecar(cls, sidecar: dict) -> "FeatureSpace":
        return cls(sidecar["items"]["vocab"], sidecar["categories"]["vocab"],
                   sidecar["search"]["term_categories"], sidecar["max_seq_len"],
                   sidecar["gap_buckets"]["upper_bounds_ms"])


# ---- raw Kafka records (Avro field names) -> ordered Events, as the Java store does -------
_CART_ACTIONS = {"ADD": ADD_TO_CART, "REMOVE": REMOVE_FROM_CART, "CHECKOUT": CHECKOUT}


def event_from_record(topic: str, value: dict) -> Event:
    """One Kafka record value -> Event. Cart events use the FIRST line of `items`."""
    common = dict(user_id=str(value["user_id"]), session_id=str(value["session_id"]),
                  time_ms=int(value["event_time"]), event_id=str(value["event_id"]))
    if topic == "shop.browse.v1":
        return Event(action=VIEW, item_id=value.get("item_id"),
                     category_id=value.get("category_id"), price=value.get("price"), **common)
    if topic == "shop.search.v1":
        return Event(action=SEARCH, query=value.get("query"),
                     category_id=value.get("category_filter"), **common)
    if topic == "shop.cart.v1":
        action = _CART_ACTIONS[value["action"]]
        lines = value.get("items") or []
        first = lines[0] if lines and action != CHECKOUT else {}
        return Event(action=action, item_id=first.get("item_id"),
                     category_id=first.get("category_id"), price=first.get("unit_price"),
                     quantity=first.get("quantity"), **common)
    raise ValueError(f"unknown topic {topic!r}")


def order_events(events_in_arrival_order: Sequence[Event]) -> List[Event]:
    """Dedup by event_id (first arrival wins), then event_time ascending, ties by arrival."""
    seen, unique = set(), []
    for ev in events_in_arrival_order:
        if ev.event_id in seen:
            continue
        seen.add(ev.event_id)
        unique.append(ev)
    return sorted(unique, key=lambda ev: ev.time_ms)  # sorted() is stable: arrival breaks ties


def window_from_records(records: Sequence[dict], space: FeatureSpace) -> Dict[str, List[int]]:
    """[{topic, value}] in arrival order -> unpadded model input for that user."""
    events = [event_from_record(r["topic"], r["value"]) for r in records]
    return space.window(order_events(events))
