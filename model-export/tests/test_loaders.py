import io
import os

from conftest import DATA
from intent_model.events import ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW
from intent_model import loaders


def test_rees46_maps_rows_and_reports_malformed_lines():
    events, rep = loaders.load_rees46(os.path.join(DATA, "rees46_small.csv"))
    assert rep.rows == 11
    assert rep.malformed == 5
    assert [n for n, _ in rep.malformed_lines] == [5, 6, 7, 8, 9]
    reasons = dict(rep.malformed_lines)
    assert "event_time" in reasons[5] and "columns" in reasons[6]
    assert "click" in reasons[7] and "user_id" in reasons[8] and "price" in reasons[9]
    # Two purchase rows of one session in the same second = one CHECKOUT without an item.
    assert [e.action for e in events] == [VIEW, ADD_TO_CART, REMOVE_FROM_CART, CHECKOUT, VIEW]
    assert rep.events == 5
    first = events[0]
    assert (first.user_id, first.item_id, first.category_id, first.price) == \
        ("541312140", "44600062", "2103807459595387724", "35.79")
    assert first.time_ms == 1569888000000                    # 2019-10-01 00:00:00 UTC
    assert events[3].item_id is None and events[3].category_id is None
    assert events[4].category_id is None and events[4].price is None
    assert events[0].event_id == "L2"                          # synthesized from the line number


def test_taobao_sessions_split_on_30_minute_gap_and_fav_skipped():
    events, rep = loaders.load_taobao(os.path.join(DATA, "taobao_small.csv"))
    assert (rep.rows, rep.skipped, rep.malformed) == (11, 1, 3)
    assert [n for n, _ in rep.malformed_lines] == [6, 7, 8]
    u1 = [e for e in events if e.user_id == "1"]
    assert [e.action for e in u1] == [VIEW, VIEW, ADD_TO_CART, CHECKOUT]
    assert [e.session_id for e in u1] == ["1#0", "1#1", "1#1", "1#1"]
    u2 = [e for e in events if e.user_id == "2"]
    # A gap of exactly 30 minutes does not split (split only when the gap is larger).
    assert [e.session_id for e in u2] == ["2#0"] * 3
    assert u1[0].time_ms == 1511544070000 and u1[0].category_id == "2520377"


def test_retailrocket_ms_timestamps_no_categories():
    events, rep = loaders.load_retailrocket(os.path.join(DATA, "retailrocket_small.csv"))
    assert (rep.rows, rep.events, rep.malformed) == (8, 5, 3)
    assert [n for n, _ in rep.malformed_lines] == [6, 7, 8]
    v = [e for e in events if e.user_id == "257597"]
    assert [e.action for e in v] == [VIEW, ADD_TO_CART, CHECKOUT, VIEW]
    assert [e.session_id for e in v] == ["257597#0"] * 3 + ["257597#1"]
    assert all(e.category_id is None for e in events)
    assert v[0].time_ms == 1433221332117


def test_generic_default_mapping_reads_simulator_format():
    events, rep = loaders.load_generic(os.path.join(DATA, "generic_small.csv"))
    assert (rep.rows, rep.events, rep.malformed) == (8, 5, 3)
    assert [n for n, _ in rep.malformed_lines] == [6, 7, 8]
    assert [e.action for e in events] == [VIEW, SEARCH, ADD_TO_CART, CHECKOUT, SEARCH]
    assert events[1].query == "red, running shoes" and events[1].category_id is None
    assert events[2].quantity == 2 and events[2].event_id == "e3"
    assert events[4].category_id == "cat-3"                   # search row: category filter
    assert [e.session_id for e in events] == ["s1"] * 4 + ["s9"]


def test_generic_custom_mapping_seconds_and_derived_sessions():
    mapping = loaders.GenericMapping(
        event_id=None, user_id="visitor", session_id=None, event_time="ts", time_unit="s",
        event_type="kind", item_id="product", category_id=None, query=None, price=None,
        quantity=None, event_types={"PAGE": "VIEW", "BASKET": "ADD_TO_CART", "ORDER": "CHECKOUT"})
    events, rep = loaders.load_generic(os.path.join(DATA, "generic_custom.csv"), mapping)
    assert rep.malformed == 0 and rep.events == 4
    a = [e for e in events if e.user_id == "a"]
    assert [e.session_id for e in a] == ["a#0", "a#0", "a#1"]
    assert a[0].time_ms == 1_600_000_000_000 and a[1].action == ADD_TO_CART


def test_blank_lines_are_not_rows_and_do_not_shift_line_numbers():
    text = "1,10,7,pv,1511544070\n\n1,10,7,pv,oops\n"
    events, rep = loaders.load_taobao(io.StringIO(text))
    assert rep.rows == 2 and rep.malformed_lines[0][0] == 3 and len(events) == 1
