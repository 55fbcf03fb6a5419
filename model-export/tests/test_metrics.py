import math

import numpy as np
import pytest

from intent_model import metrics as M


def test_full_ranking_hr_and_ndcg():
    scores = np.array([[0.1, 0.9, 0.5, 0.3],     # target 2 -> one item above -> rank 1
                       [0.8, 0.1, 0.2, 0.3],     # target 0 -> rank 0
                       [0.4, 0.3, 0.2, 0.1]])    # target 3 -> rank 3
    ranks = M.target_ranks(scores, np.array([2, 0, 3]))
    assert ranks.tolist() == [1, 0, 3]
    assert M.hit_rate_at_k(ranks, 2) == pytest.approx(2 / 3)
    assert M.ndcg_at_k(ranks, 2) == pytest.approx((1 / math.log2(3) + 1.0) / 3)
    assert M.ndcg_at_k(ranks, 10) == pytest.approx((1 / math.log2(3) + 1 + 1 / math.log2(5)) / 3)


def test_accuracy_and_macro_f1():
    y = [0, 0, 1, 1, 2]
    p = [0, 1, 1, 1, 0]
    # class 0: tp1 fp1 fn1 -> 0.5; class 1: tp2 fp1 fn0 -> 0.8; class 2: tp0 -> 0
    assert M.accuracy(y, p) == pytest.approx(0.6)
    assert M.macro_f1(y, p) == pytest.approx((0.5 + 0.8 + 0.0) / 3)


def test_roc_auc_counts_ties_as_half():
    y = [1, 0, 1, 0]
    s = [0.9, 0.9, 0.5, 0.1]
    # pairs (pos, neg): (0.9,0.9)=0.5 (0.9,0.1)=1 (0.5,0.9)=0 (0.5,0.1)=1 -> 2.5/4
    assert M.roc_auc(y, s) == pytest.approx(0.625)
    assert M.roc_auc([1, 1, 0], [0.8, 0.7, 0.1]) == 1.0
    assert math.isnan(M.roc_auc([1, 1], [0.2, 0.3]))


def test_pr_auc_average_precision():
    y = [1, 0, 1, 0]
    s = [0.9, 0.8, 0.7, 0.1]
    # thresholds: 0.9 -> P=1 R=.5 ; 0.8 -> P=.5 R=.5 ; 0.7 -> P=2/3 R=1
    assert M.pr_auc(y, s) == pytest.approx(0.5 * 1 + 0.5 * (2 / 3))
    # tied scores form a single threshold
    assert M.pr_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_ece_and_reliability_bins():
    y = [0, 1, 1, 1]
    p = [0.05, 0.15, 0.95, 0.95]
    # bins: [0,.1): conf .05 rate 0 ; [.1,.2): conf .15 rate 1 ; [.9,1]: conf .95 rate 1
    ece = (1 * 0.05 + 1 * 0.85 + 2 * 0.05) / 4
    assert M.expected_calibration_error(y, p, 10) == pytest.approx(ece)
    conf, rate, count = M.reliability(y, p, 10)
    assert count.tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert rate[9] == 1.0 and conf[0] == pytest.approx(0.05)
