#!/usr/bin/env python3
"""
Generates shangrla-nonneg-mean.json: expected p-values from SHANGRLA's tests of
the mean of a bounded population (repository pbstark/SHANGRLA: the
overstatement assorter of shangrla/core/Audit.py `Assertion.overstatement_assorter`
and the tests of shangrla/core/NonnegMean.py `kaplan_markov`, `kaplan_wald` and
`alpha_mart`), for contests and samples that Acta's super-simple and BRAVO
code can be given too.

SHANGRLA's own tests (tests/core/test_NonnegMean.py and the older
Code/tests/tests.py) use g = 0 or g = 0.1 and bare sample arrays, which no
choice of contest maps onto Acta's fixed gamma = 1.03905 (see the algebra in
shangrla.test.ts). So the published test values are used here as anchors:
this script re-expresses SHANGRLA's formulas in its own words, asserts that
they reproduce those published values, and then evaluates them (numpy, as
SHANGRLA does) on the overstatement-assorter values of concrete ballots with
g = (gamma - 1) / (2 - v), where the Kaplan-Markov p-value equals the
super-simple one.

Run: python3 libs/audit/test/vectors/generate-shangrla.py > libs/audit/test/vectors/shangrla-nonneg-mean.json
(numpy 2.4.6.)
"""
import json
import math
import sys

import numpy as np

GAMMA = 1.03905
T = 0.5  # the null mean of every assorter here
U = 1.0  # upper bound of a plurality assorter


# --- SHANGRLA's formulas, re-expressed ----------------------------------------

def km_p(x, g, random_order):
    """Kaplan-Markov: running product of (t + g)/(x + g); min over the run if in random order."""
    hist = np.cumprod((T + g) / (np.asarray(x, dtype=float) + g))
    return float(min(1.0, np.min(hist) if random_order else hist[-1]))


def kw_p(x, g, random_order):
    """Kaplan-Wald: 1 over the running product of (1 - g) x / t + g."""
    hist = np.cumprod((1 - g) * np.asarray(x, dtype=float) / T + g)
    return float(min(1.0, 1 / np.max(hist) if random_order else 1 / hist[-1]))


def alpha_mart_with_replacement(x, eta):
    """ALPHA with a fixed alternative eta, sampling with replacement (N infinite): the p-value history."""
    x = np.asarray(x, dtype=float)
    terms = np.cumprod((x * eta / T + (U - x) * (U - eta) / (U - T)) / U)
    # SHANGRLA sets a vanishing martingale to 1; none of the cases here comes near.
    assert not np.any(np.isclose(0, terms, atol=2 * np.finfo(float).eps))
    return np.minimum(1, 1 / terms)


def plurality_assort(votes, winner, loser):
    """A plurality assorter for one pair: 1 for the winner, 0 for the loser, 1/2 otherwise."""
    return (votes.get(winner, 0) - votes.get(loser, 0) + 1) / 2


def overstatement_assorter(cvr, mvr, winner, loser, margin):
    """(1 - o/u)/(2 - v/u); a ballot not found is read as SHANGRLA reads a phantom MVR: assorter 0."""
    mvr_value = 0 if mvr is None else plurality_assort(mvr, winner, loser)
    over = plurality_assort(cvr, winner, loser) - mvr_value
    return (1 - over / U) / (2 - margin / U)


# --- anchors: SHANGRLA's published test values ---------------------------------

def check_anchors():
    # test_kaplan_markov
    np.testing.assert_almost_equal(km_p(np.ones(5), 0, True), 2**-5)
    s = np.array([1, 1, 1, 1, 1, 0])
    np.testing.assert_almost_equal(km_p(s, 0.1, True), (1.1 / .6) ** -5)
    np.testing.assert_almost_equal(km_p(s, 0.1, False), (1.1 / .6) ** -5 * .6 / .1)
    # test_kaplan_wald
    np.testing.assert_almost_equal(kw_p(np.ones(5), 0, True), 2**-5)
    np.testing.assert_almost_equal(kw_p(s, 0.1, True), 1.9**-5)
    np.testing.assert_almost_equal(kw_p(s, 0.1, False), 1.9**-5 * 10)
    # test_overstatement_assorter (exact equalities in SHANGRLA's test)
    alice, bob, candy = {"Alice": 1}, {"Bob": 1}, {"Candy": 1}
    assert overstatement_assorter(alice, alice, "Alice", "Bob", 0.2) == 1 / 1.8
    assert overstatement_assorter(alice, bob, "Alice", "Bob", 0.2) == 0
    assert overstatement_assorter(bob, alice, "Alice", "Bob", 0.3) == 2 / 1.7
    assert overstatement_assorter(alice, candy, "Alice", "Bob", 0.1) == 0.5 / 1.9
    # test_alpha_mart: all values 1/2 give p = 1
    np.testing.assert_almost_equal(alpha_mart_with_replacement(np.ones(5) / 2, 0.75)[-1], 1.0)
    # test_sample_size's arithmetic ((.75/.5)^8 = 25.6 > 1/alpha; ((.75/.5)*.75 + (.25/.5)*.25)^14 = 22.7):
    # the first draw at which p <= 0.05 (SHANGRLA's test samples a population of 1000 without
    # replacement; its comments, and these, are the with-replacement arithmetic).
    for value, size in [(1.0, 8), (0.75, 14)]:
        hist = alpha_mart_with_replacement(value * np.ones(100), 0.75)
        assert int(np.argmax(hist <= 0.05)) + 1 == size


# --- cases ---------------------------------------------------------------------

CONTESTS = {
    "margin-0.2": {"candidates": {"Alice": 600, "Bob": 400}, "ballots": 1000},
    "margin-0.3": {"candidates": {"Alice": 650, "Bob": 350}, "ballots": 1000},
    "margin-0.1-three": {"candidates": {"Alice": 450, "Bob": 350, "Candy": 100}, "ballots": 1000},
    "margin-0.06-three": {"candidates": {"Alice": 52000, "Bob": 46000, "Candy": 1500}, "ballots": 100000},
}

A, B, C, BLANK = {"Alice": 1}, {"Bob": 1}, {"Candy": 1}, {}


def clean(votes, count, times=1):
    return {"cvr": votes, "mvr": votes, "count": count, "times": times}


def differ(cvr, mvr, count=1, times=1):
    return {"cvr": cvr, "mvr": mvr, "count": count, "times": times}


COMPARISON_CASES = [
    ("no discrepancy", "margin-0.2", "equal",
     [clean(A, 30), clean(B, 20), clean(BLANK, 3)]),
    ("a two-vote overstatement (published assorter value 0 at margin 0.2)", "margin-0.2", "equal",
     [clean(A, 60), clean(B, 38), differ(A, B)]),
    ("a one-vote overstatement to a third candidate (published 0.5/1.9 at margin 0.1)",
     "margin-0.1-three", "equal",
     [clean(A, 90), clean(B, 70), clean(C, 20), clean(BLANK, 19), differ(A, C)]),
    ("one- and two-vote overstatements, repeated draws", "margin-0.06-three", "equal",
     [clean(A, 150, 1), clean(A, 4, 2), clean(B, 130), clean(C, 4), clean(BLANK, 6),
      differ(A, BLANK, 2), differ(BLANK, B), differ(A, B, 1, 2)]),
    ("a ballot not found whose CVR is for the winner (SHANGRLA: two-vote overstatement)",
     "margin-0.06-three", "equal",
     [clean(A, 200), clean(B, 170), clean(BLANK, 10), differ(A, None)]),
    ("a two-vote understatement (published 2/1.7 at margin 0.3): Acta counts it as no error",
     "margin-0.3", "at-least",
     [clean(A, 40), clean(B, 20), differ(B, A)]),
    ("one-vote understatements: Acta counts them as no error", "margin-0.06-three", "at-least",
     [clean(A, 200), clean(B, 170), differ(B, BLANK, 2), differ(BLANK, A)]),
    ("a ballot not found whose CVR is blank: SHANGRLA one-vote, Acta two-vote overstatement",
     "margin-0.06-three", "at-least",
     [clean(A, 200), clean(B, 170), differ(BLANK, None)]),
]

POLLING_CASES = [
    ("two candidates", {"candidates": {"Alice": 600, "Bob": 400}, "ballots": 1000},
     {"Alice": 60, "Bob": 35}),
    ("a third candidate's votes count as 1/2 (no change)",
     {"candidates": {"Alice": 450, "Bob": 350, "Candy": 100}, "ballots": 1000},
     {"Alice": 120, "Bob": 80, "Candy": 30}),
    ("the loser ahead in the sample (p = 1)",
     {"candidates": {"Alice": 5100, "Bob": 4900}, "ballots": 10000},
     {"Alice": 40, "Bob": 50}),
]


def main():
    check_anchors()
    out = {
        "description": (
            "Expected p-values computed by generate-shangrla.py from SHANGRLA's formulas (repository "
            "pbstark/SHANGRLA: shangrla/core/Audit.py Assertion.overstatement_assorter, "
            "shangrla/core/NonnegMean.py kaplan_markov, kaplan_wald, alpha_mart), re-expressed and "
            "anchored on SHANGRLA's published tests (tests/core/test_NonnegMean.py test_kaplan_markov, "
            "test_kaplan_wald, test_alpha_mart, test_sample_size; Code/tests/tests.py "
            "test_overstatement_assorter), whose values are under 'published'. Comparison cases: the "
            "overstatement assorter of the (Alice, Bob) assertion, the pair with the smallest margin, "
            "with t = 1/2 and g = (gamma - 1)/(2 - v), random_order False (Acta's risk is the p-value of "
            "the whole sample, not the minimum over it); Kaplan-Wald with g' = 2g/(1 + 2g) gives the same "
            "value (asserted). 'equal': Acta's super-simple p-value must equal it; 'at-least': Acta is "
            "more cautious by design (understatements count as no error; a ballot not found is a two-vote "
            "overstatement whatever its CVR) and must not be below it. Polling cases: BRAVO's p-value "
            "against the last entry of ALPHA's p-value history with the fixed alternative eta = the "
            "winner's share of the pair's reported votes, sampling with replacement (SHANGRLA's "
            "wald_sprt has no published test and, in the stored version, takes the running product "
            "twice, so it is not used). Not carried over: test_shrink_trunc, test_agrapa, "
            "test_betting_mart, test_lam_to_eta_to_lam, test_sjm (bet and estimator machinery Acta does "
            "not have), test_kaplan_kolmogorov (sampling without replacement, which Acta's super-simple "
            "audit does not assume), test_assorter_sample_size (SHANGRLA's simulated sample sizes with "
            "g = 0.1, not Stark's planning formula)."
        ),
        "gamma": GAMMA,
        "source": {"repository": "pbstark/SHANGRLA"},
        "published": {
            "overstatementAssorter": {
                "source": "Code/tests/tests.py, TestAssertion.test_overstatement_assorter (same values in tests/core/test_Assertion.py)",
                "winner": "Alice",
                "loser": "Bob",
                "cases": [
                    {"margin": 0.2, "cvr": A, "mvr": A, "value": 1 / 1.8, "relation": "equal"},
                    {"margin": 0.2, "cvr": A, "mvr": B, "value": 0, "relation": "equal"},
                    {"margin": 0.3, "cvr": B, "mvr": A, "value": 2 / 1.7, "relation": "at-least"},
                    {"margin": 0.1, "cvr": A, "mvr": C, "value": 0.5 / 1.9, "relation": "equal"},
                ],
            },
            "kaplanMarkov": {
                "source": "tests/core/test_NonnegMean.py, TestNonnegMean.test_kaplan_markov",
                "cases": [
                    {"x": [1, 1, 1, 1, 1], "g": 0, "randomOrder": True, "p": 2**-5},
                    {"x": [1, 1, 1, 1, 1, 0], "g": 0.1, "randomOrder": True, "p": (1.1 / .6) ** -5},
                    {"x": [1, 1, 1, 1, 1, 0], "g": 0.1, "randomOrder": False, "p": (1.1 / .6) ** -5 * .6 / .1},
                ],
            },
        },
        "contests": CONTESTS,
        "comparisonCases": [],
        "pollingCases": [],
    }

    for name, contest_name, relation, ballots in COMPARISON_CASES:
        contest = CONTESTS[contest_name]
        votes = contest["candidates"]
        margin = (votes["Alice"] - votes["Bob"]) / contest["ballots"]
        g = (GAMMA - 1) / (2 - margin)
        x = []
        for b in ballots:
            value = overstatement_assorter(b["cvr"], b["mvr"], "Alice", "Bob", margin)
            x.extend([value] * (b["count"] * b["times"]))
        p = km_p(x, g, False)
        p_kw = kw_p(x, 2 * g / (1 + 2 * g), False)
        assert math.isclose(p, p_kw, rel_tol=1e-12), (name, p, p_kw)
        out["comparisonCases"].append({
            "name": name,
            "contest": contest_name,
            "relation": relation,
            "ballots": ballots,
            "g": g,
            "draws": len(x),
            "expected": p,
        })

    for name, contest, sample in POLLING_CASES:
        votes = contest["candidates"]
        eta = votes["Alice"] / (votes["Alice"] + votes["Bob"])
        x = []
        for cand, n in sample.items():
            x.extend([1.0 if cand == "Alice" else 0.0 if cand == "Bob" else 0.5] * n)
        out["pollingCases"].append({
            "name": name,
            "contest": contest,
            "sample": sample,
            "eta": eta,
            "expected": float(alpha_mart_with_replacement(x, eta)[-1]),
        })

    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
