"""Real-data evaluation: loaders, cluster bootstrap, and the command end to end on tiny data."""
import os
import re

import numpy as np
import pytest

from intent_model import bootstrap as bs
from intent_model import dataset
from intent_model import loaders
from intent_model import metrics as M
from intent_model import real_data
from conftest import DATA
from intent_model.events import VIEW

SHARED = os.path.abspath(real_data.DEFAULT_DATA)


def test_yoochoose_sessions_are_shoppers_and_bad_rows_are_reported():
    events, rep = loaders.load_yoochoose(os.path.join(DATA, "yoochoose_small.tsv"))
    assert (rep.rows, rep.malformed, rep.events) == (5, 2, 3)
    assert [n for n, _ in rep.malformed_lines] == [4, 6]          # bad time, missing column
    assert [e.user_id for e in events] == ["s1", "s1", "s2"]
    assert all(e.action == VIEW and e.category_id is None for e in events)
    assert events[0].time_ms == 1396860669277


def test_bootstrap_with_unit_weights_reproduces_the_plain_metrics():
    rng = np.random.RandomState(1)
    n = 300
    groups = rng.randint(0, 40, n)
    g, _ = bs.group_weights(groups, 1, 0)
    w = np.ones((1, g.max() + 1))
    y = rng.rand(n) < 0.3
    s = rng.rand(n) + y * 0.3
    s[:50] = np.round(s[:50], 1)                                   # ties
    assert bs.auc_metric(y, s[:, None], g, w)[0, 0] == pytest.approx(M.roc_auc(y, s))
    v = rng.rand(n, 2)
    np.testing.assert_allclose(bs.mean_metric(v, g, w)[0], v.mean(0))
    yc, pc = rng.randint(0, 6, n), rng.randint(0, 4, n)
    assert bs.macro_f1_metric(yc, pc[:, None], g, w, 6)[0, 0] == pytest.approx(M.macro_f1(yc, pc))


def test_bootstrap_resamples_whole_groups():
    g, w = bs.group_weights(np.array([7, 7, 7, 9]), 200, 3)
    vals = np.array([[1.0], [1.0], [1.0], [0.0]])
    means = bs.mean_metric(vals, g, w)[:, 0]
    # A resample holds shopper 7 (3 prefixes) k times and shopper 9 (2-k) times.
    assert set(np.round(means, 6)) <= {1.0, 0.0, 0.75}
    lo, hi = bs.interval(means[:, None])
    assert lo[0] <= 0.75 <= hi[0]


def test_command_on_tiny_real_logs_counts_every_prefix(tmp_path):
    # The real samples are part of the test setup (CI has ../shared beside the clone): missing
    # data is a failure, not a skip, so a green run always means the real-data path ran.
    assert os.path.isdir(SHARED), f"real samples not found at {SHARED} (see ../shared/data/README.md)"
    out = tmp_path / "REAL_DATA.md"
    real_data.main(["--quick", "--max-rows", "700", "--bootstrap", "30", "--epochs", "1",
                    "--logs", "rees46-17k", "yoochoose-100k", "--ablations", "rees46-17k",
                    "--out", str(out)])
    text = out.read_text()
    for name in ("rees46-17k", "yoochoose-100k"):
        assert f"## {name}" in text
    # Independent count of next-item cases: test prefixes whose next event (same shopper)
    # carries an item, in the vocabulary or not.
    events, _ = real_data.load_log("rees46-17k", SHARED, 700)
    tls = dataset.order_timelines(events)
    cut = dataset.time_cutoffs(tls)
    expected = 0
    for tl in tls:
        start = {}
        for e in tl:
            start.setdefault(e.session_id, e.time_ms)
        expected += sum(1 for a, b in zip(tl, tl[1:])
                        if start[a.session_id] >= cut[1] and b.item_id is not None and b.action != 5)
    section = text.split("## rees46-17k")[1].split("## yoochoose")[0]
    assert f"### Next item ({expected} test prefixes with a next item" in section
    assert "held-out shoppers" in section and "Purchase" in section
    assert "### Next action, held-out shoppers" in section
    yoochoose = text.split("## yoochoose-100k")[1].split("\n## ")[0]     # up to the notes
    assert "### Next item" in yoochoose
    assert "held-out shoppers" not in yoochoose   # no purchases there
    intervals = re.findall(r"\| (\d\.\d{4}) \[(\d\.\d{4}), (\d\.\d{4})\]", text)
    assert len(intervals) >= 12
    assert all(float(lo) <= float(hi) for _, lo, hi in intervals)
    assert (tmp_path / "real-data-plots" / "rees46-17k-shoppers-reliability.png").exists()
    ablations = section.split("### Ablations on rees46-17k")[1]
    for row in ("full recipe", "without aggregates", "without transition/category priors",
                "without the repeat pointer", "without purchase priors"):
        assert f"| {row} | " in ablations
