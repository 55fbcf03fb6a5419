"""Loaders for clickstream exports -> List[Event] plus a LoadReport.

Bad rows never stop a load: each is recorded with its 1-based physical line number (the header
is line 1) and a reason. Rows of a known but unmodelled type (Taobao "fav") are counted as
skipped, not malformed. Sources without session ids get sessions split on 30 min inactivity.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from .events import (ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW, Event)

SESSION_GAP_MS = 30 * 60 * 1000
MAX_REPORTED = 1000  # keep the first N malformed lines verbatim; the count is always exact


@dataclass
class LoadReport:
    source: str
    rows: int = 0
    events: int = 0
    skipped: int = 0
    malformed: int = 0
    malformed_lines: List[Tuple[int, str]] = field(default_factory=list)

    def bad(self, line: int, reason: str) -> None:
        self.malformed += 1
        if len(self.malformed_lines) < MAX_REPORTED:
            self.malformed_lines.append((line, reason))

    def summary(self) -> str:
        head = "; ".join(f"line {n}: {r}" for n, r in self.malformed_lines[:5])
        return (f"{self.source}: {self.rows} rows, {self.events} events, {self.skipped} skipped, "
                f"{self.malformed} malformed" + (f" ({head})" if head else ""))


class RowError(ValueError):
    pass


def _need(value: Optional[str], name: str) -> str:
    if value is None or value.strip() == "":
        raise RowError(f"missing {name}")
    return value.strip()


def _opt(value: Optional[str]) -> Optional[str]:
    return None if value is None or value.strip() == "" else value.strip()


def _int(value: Optional[str], name: str) -> int:
    try:
        return int(_need(value, name))
    except ValueError:
        raise RowError(f"bad {name} {value!r}") from None


def _price(value: Optional[str]) -> Optional[str]:
    v = _opt(value)
    if v is not None:
        try:
            float(v)
        except ValueError:
            raise RowError(f"bad price {value!r}") from None
    return v


def _read(path_or_file, report: LoadReport, n_cols: int, has_header: bool,
          parse: Callable[[List[str]], Optional[Event]], max_rows: Optional[int]) -> List[Event]:
    """Shared row loop: column count check, per-row error capture, line numbers."""
    f = open(path_or_file, newline="", encoding="utf-8", errors="replace") \
        if isinstance(path_or_file, str) else path_or_file
    events = []
    try:
        reader = csv.reader(f)
        if has_header:
            next(reader, None)
        for row in reader:
            if max_rows is not None and report.rows >= max_rows:
                break
            if not row or (len(row) == 1 and not row[0].strip()):
                continue                                   # blank line: not data
            report.rows += 1
            line = reader.line_num
            if len(row) != n_cols:
                report.bad(line, f"expected {n_cols} columns, got {len(row)}")
                continue
            try:
                ev = parse(row)
            except RowError as e:
                report.bad(line, str(e))
                continue
            if ev is None:
                report.skipped += 1
                continue
            events.append(ev._replace(event_id=ev.event_id or f"L{line}"))
    finally:
        if isinstance(path_or_file, str):
            f.close()
    report.events = len(events)
    return events


def sessionize(events: Iterable[Event], gap_ms: int = SESSION_GAP_MS) -> List[Event]:
    """Assigns session ids '<user>#<n>' by splitting each user's timeline at gaps > gap_ms."""
    by_user: Dict[str, List[Event]] = {}
    for e in events:
        by_user.setdefault(e.user_id, []).append(e)
    out = []
    for user, evs in by_user.items():
        evs.sort(key=lambda e: e.time_ms)
        n, last = 0, None
        for e in evs:
            if last is not None and e.time_ms - last > gap_ms:
                n += 1
            last = e.time_ms
            out.append(e._replace(session_id=f"{user}#{n}"))
    return out


def _done(events: List[Event], report: LoadReport):
    report.events = len(events)          # after purchase-line merging
    return events, report


# ---- REES46 ------------------------------------------------------------------------------
REES46_TYPES = {"view": VIEW, "cart": ADD_TO_CART, "remove_from_cart": REMOVE_FROM_CART,
                "purchase": CHECKOUT}


def _rees46_time(value: str) -> int:
    try:
        dt = datetime.strptime(_need(value, "event_time").replace(" UTC", ""), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise RowError(f"bad event_time {value!r}") from None
    return int(dt.replace(tzinfo=timezone.utc).timestamp() * 1000)


def _rees46_row(row: List[str]) -> Event:
    time_s, etype, product, category, _code, _brand, price, user, session = row
    action = REES46_TYPES.get(etype.strip())
    if action is None:
        raise RowError(f"unknown event_type {etype!r}")
    return Event(user_id=_need(user, "user_id"), session_id=_need(session, "user_session"),
                 time_ms=_rees46_time(time_s), action=action, item_id=_need(product, "product_id"),
                 category_id=_opt(category), price=_price(price))


def load_rees46(path, max_rows=None) -> Tuple[List[Event], LoadReport]:
    report = LoadReport("rees46")
    events = _read(path, report, 9, True, _rees46_row, max_rows)
    return _done(merge_purchase_lines(events), report)


def merge_purchase_lines(events: List[Event]) -> List[Event]:
    """REES46/Taobao log one purchase row per product; one order = one CHECKOUT step.
    Purchases of the same session within the same second are collapsed into one."""
    out, seen = [], set()
    for e in events:
        if e.action == CHECKOUT:
            key = (e.user_id, e.session_id, e.time_ms // 1000)
            if key in seen:
                continue
            seen.add(key)
            e = e._replace(item_id=None, category_id=None)
        out.append(e)
    return out


# ---- Taobao / Tianchi UserBehavior ---------------------------------------------------------
TAOBAO_TYPES = {"pv": VIEW, "cart": ADD_TO_CART, "buy": CHECKOUT, "fav": None}


def _taobao_row(row: List[str]) -> Optional[Event]:
    user, item, category, behavior, ts = row
    b = behavior.strip()
    if b not in TAOBAO_TYPES:
        raise RowError(f"unknown behavior {behavior!r}")
    t = _int(ts, "timestamp") * 1000
    if TAOBAO_TYPES[b] is None:
        return None                    # "fav" has no counterpart in the action vocabulary
    return Event(user_id=_need(user, "user_id"), session_id="", time_ms=t, action=TAOBAO_TYPES[b],
                 item_id=_need(item, "item_id"), category_id=_opt(category))


def load_taobao(path, max_rows=None) -> Tuple[List[Event], LoadReport]:
    report = LoadReport("taobao")
    events = _read(path, report, 5, False, _taobao_row, max_rows)
    return _done(merge_purchase_lines(sessionize(events)), report)


# ---- RetailRocket events.csv ---------------------------------------------------------------
RETAILROCKET_TYPES = {"view": VIEW, "addtocart": ADD_TO_CART, "transaction": CHECKOUT}


def _retailrocket_row(row: List[str]) -> Event:
    ts, visitor, etype, item, _txn = row
    action = RETAILROCKET_TYPES.get(etype.strip())
    if action is None:
        raise RowError(f"unknown event {etype!r}")
    return Event(user_id=_need(visitor, "visitorid"), session_id="", time_ms=_int(ts, "timestamp"),
                 action=action, item_id=_need(item, "itemid"), category_id=None)


def load_retailrocket(path, max_rows=None) -> Tuple[List[Event], LoadReport]:
    report = LoadReport("retailrocket")
    events = _read(path, report, 5, True, _retailrocket_row, max_rows)
    return _done(merge_purchase_lines(sessionize(events)), report)


# ---- Generic CSV with a column mapping ------------------------------------------------------
@dataclass
class GenericMapping:
    """Which CSV column holds which field; defaults match the simulator's output.
    session_id may be None (sessions are then derived from a 30 min gap)."""
    event_id: Optional[str] = "event_id"
    user_id: str = "user_id"
    session_id: Optional[str] = "session_id"
    event_time: str = "event_time_ms"
    time_unit: str = "ms"                    # ms | s
    event_type: str = "event_type"
    item_id: Optional[str] = "item_id"
    category_id: Optional[str] = "category_id"   # for search rows: the category filter
    query: Optional[str] = "query"
    price: Optional[str] = "price"
    quantity: Optional[str] = "quantity"
    event_types: Dict[str, str] = field(default_factory=lambda: {
        "view": "VIEW", "search": "SEARCH", "cart_add": "ADD_TO_CART",
        "cart_remove": "REMOVE_FROM_CART", "checkout": "CHECKOUT"})


_ACTION_BY_NAME = {"VIEW": VIEW, "SEARCH": SEARCH, "ADD_TO_CART": ADD_TO_CART,
                   "REMOVE_FROM_CART": REMOVE_FROM_CART, "CHECKOUT": CHECKOUT}


def load_generic(path, mapping: GenericMapping = None, max_rows=None) -> Tuple[List[Event], LoadReport]:
    m = mapping or GenericMapping()
    report = LoadReport("generic")
    f = open(path, newline="", encoding="utf-8", errors="replace") if isinstance(path, str) else path
    try:
        header = next(csv.reader([f.readline()]), [])
        col = {name.strip(): i for i, name in enumerate(header)}
        missing = [c for c in (m.user_id, m.event_time, m.event_type) if c not in col]
        if missing:
            raise ValueError(f"generic CSV lacks required columns {missing}; header={header}")

        def get(row, name):
            return row[col[name]] if name is not None and name in col else None

        scale = {"ms": 1, "s": 1000}[m.time_unit]

        def parse(row):
            raw_type = (get(row, m.event_type) or "").strip()
            if raw_type not in m.event_types:
                raise RowError(f"unknown event_type {raw_type!r}")
            action = _ACTION_BY_NAME[m.event_types[raw_type]]
            q = _opt(get(row, m.quantity))
            return Event(user_id=_need(get(row, m.user_id), "user_id"),
                         session_id=_opt(get(row, m.session_id)) or "",
                         time_ms=_int(get(row, m.event_time), "event_time") * scale, action=action,
                         item_id=_opt(get(row, m.item_id)), category_id=_opt(get(row, m.category_id)),
                         query=_opt(get(row, m.query)) if action == SEARCH else None,
                         event_id=_opt(get(row, m.event_id)) or "", price=_price(get(row, m.price)),
                         quantity=None if q is None else _int(q, "quantity"))

        # The header line was consumed above, so physical line numbers start at 2.
        rest = io.StringIO("\n" + f.read())
        events = _read(rest, report, len(header), True, parse, max_rows)
    finally:
        if isinstance(path, str):
            f.close()
    if m.session_id is None or any(not e.session_id for e in events):
        events = sessionize(events)
    return _done(events, report)


# ---- YOOCHOOSE clicks (RecSys Challenge 2015), prepared TSV split ----------------------------
def _yoochoose_row(row: List[str]) -> Event:
    session, item, ts = row
    sid = _need(session, "SessionId")
    try:
        t = int(round(float(_need(ts, "Time")) * 1000))
    except ValueError:
        raise RowError(f"bad Time {ts!r}") from None
    # Clicks only, and no shopper ids: each session is its own shopper (no history before it).
    return Event(user_id=f"s{sid}", session_id=sid, time_ms=t, action=VIEW,
                 item_id=_need(item, "ItemId"), category_id=None)


def load_yoochoose(path, max_rows=None) -> Tuple[List[Event], LoadReport]:
    """Tab-separated `SessionId ItemId Time` (seconds, fractional) with a header line."""
    report = LoadReport("yoochoose")
    f = open(path, newline="", encoding="utf-8", errors="replace") if isinstance(path, str) else path
    try:
        tsv = io.StringIO(f.read().replace("\t", ","))     # ids and times never contain commas
    finally:
        if isinstance(path, str):
            f.close()
    return _done(_read(tsv, report, 3, True, _yoochoose_row, max_rows), report)


LOADERS = {"rees46": load_rees46, "taobao": load_taobao, "retailrocket": load_retailrocket,
           "generic": load_generic, "yoochoose": load_yoochoose}
