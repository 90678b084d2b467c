#!/usr/bin/env python3
"""Checks of the statistics in tables.py against values worked out by hand (in the comments), and of its
tables of the committed study against the independent recomputation of issue 39's audit.
Run: python3 experiments/test_tables.py"""
import math, os, sys, unittest

sys.path.insert(0, os.path.dirname(__file__))
import metrics
import tables

A, B = [1, 2, 3], [2, 4, 6, 8]   # means 2 and 5, sample variances 1 and 20/3


class Statistics(unittest.TestCase):
    def test_t_tails_of_closed_forms(self):
        # df = 1 is Cauchy: P(|T| >= 1) = 1 - 2 atan(1) / pi = 1/2
        self.assertAlmostEqual(tables.t_two_sided(1.0, 1), 0.5, places=12)
        # df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2); t = 2: 1 - 2 / sqrt(6)
        self.assertAlmostEqual(tables.t_two_sided(2.0, 2), 1 - 2 / math.sqrt(6), places=12)
        self.assertAlmostEqual(tables.t_two_sided(-2.0, 2), 1 - 2 / math.sqrt(6), places=12)
        # printed tables: t(0.975; 10) = 2.228, t(0.975; 4) = 2.776
        self.assertAlmostEqual(tables.t_two_sided(2.2281389, 10), 0.05, places=6)
        self.assertAlmostEqual(tables.t_two_sided(2.7764451, 4), 0.05, places=6)
        self.assertAlmostEqual(tables.t_two_sided(0.0, 7), 1.0, places=12)

    def test_t_quantiles(self):
        # df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) = 0.975 gives t^2 = 0.9025 * 2 / 0.0975
        self.assertAlmostEqual(tables.t_quantile(0.975, 2), math.sqrt(0.9025 * 2 / 0.0975), places=8)
        # df = 1: tan(pi (0.975 - 1/2))
        self.assertAlmostEqual(tables.t_quantile(0.975, 1), math.tan(math.pi * 0.475), places=6)
        self.assertAlmostEqual(tables.t_quantile(0.975, 10), 2.2281389, places=6)

    def test_welch_by_hand(self):
        # t = (2 - 5) / sqrt(1/3 + 5/3) = -3 / sqrt(2); df = 2^2 / ((1/3)^2 / 2 + (5/3)^2 / 3) = 4 / (1/18 + 25/27)
        t, df = tables.welch(A, B)
        self.assertAlmostEqual(t, -3 / math.sqrt(2), places=12)
        self.assertAlmostEqual(df, 4 / (1 / 18 + 25 / 27), places=12)
        # equal spreads and sizes: [0, 2] against [1, 3]: t = -1 / sqrt(2), df = 2, p = 1 - (1/sqrt 2) / sqrt(2.5),
        # interval -1 -+ t(0.975; 2) sqrt(2)
        t, df, p, lo, hi = tables.welch_test([0, 2], [1, 3])
        self.assertAlmostEqual(t, -1 / math.sqrt(2), places=12)
        self.assertAlmostEqual(df, 2, places=12)
        self.assertAlmostEqual(p, 1 - (1 / math.sqrt(2)) / math.sqrt(2.5), places=10)
        q = math.sqrt(0.9025 * 2 / 0.0975)
        self.assertAlmostEqual(lo, -1 - q * math.sqrt(2), places=7)
        self.assertAlmostEqual(hi, -1 + q * math.sqrt(2), places=7)
        self.assertTrue(math.isnan(tables.welch_test([1, 1], [2, 2])[2]), "two constant arms: no test")

    def test_holm_by_hand(self):
        # sorted 0.01, 0.03, 0.04 times 3, 2, 1: 0.03, 0.06, 0.04 -> kept monotone: 0.03, 0.06, 0.06
        for got, want in zip(tables.holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]):
            self.assertAlmostEqual(got, want, places=12)
        self.assertEqual(tables.holm([0.5, 0.6]), [1.0, 1.0])

    def test_effect_sizes_by_hand(self):
        # pooled variance (2 * 1 + 3 * 20/3) / 5 = 4.4; d = -3 / sqrt(4.4); J = 1 - 3 / (4 * 7 - 9)
        self.assertAlmostEqual(tables.hedges_g(A, B), -3 / math.sqrt(4.4) * (1 - 3 / 19), places=12)
        # pairs (a, b) with a > b: (3, 2); ties: (2, 2), half; of 12 pairs
        self.assertAlmostEqual(tables.superiority(A, B), 1.5 / 12, places=12)


class AgainstTheAudit(unittest.TestCase):
    """Issue 39's audit recomputed the committed study (experiments/results/study) on its own: Welch p of the four
    planned comparisons 0.065, 0.054 (4x4) and 0.036, 0.015 (6x6), and on 6x6 TRM at the step chosen per seed on
    validation 0.918 +- 0.017."""
    STUDY = os.path.join(os.path.dirname(__file__), "results", "study")

    def test_the_audits_p_values(self):
        studies = tables.collect(self.STUDY)
        acc = lambda task, arm: [metrics.accuracy(r.test()) for _, r in studies[task][arm]]
        for task, a, p in (("sudoku4", "dis", 0.065), ("sudoku4", "dis-same-samples", 0.054),
                           ("sudoku6", "dis", 0.036), ("sudoku6", "dis-same-samples", 0.015)):
            self.assertAlmostEqual(tables.welch_test(acc(task, a), acc(task, "trm-same-steps"))[2], p, delta=0.0005, msg=task + " " + a)

    def test_trm_at_the_step_chosen_on_validation(self):
        at = [tables.chosen_step(r)[1] for _, r in tables.collect(self.STUDY)["sudoku6"]["trm-same-steps"]]
        self.assertAlmostEqual(sum(at) / len(at), 0.918, delta=0.0005)


if __name__ == "__main__":
    unittest.main()
