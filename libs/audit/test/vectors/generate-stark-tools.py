#!/usr/bin/env python3
"""
Generates stark-tools-rlacalc.json: the published examples of Neal McBurnett's
rlacalc (repository nealmcb/audit_cvrs, path audit_cvrs/rlacalc.py), a Python
port of the JavaScript in P. B. Stark's online "Tools for Comparison
Risk-Limiting Election Audits" (auditTools.htm) and "Tools for Ballot-Polling
Risk-Limiting Election Audits" (ballotPollTools.htm). Stark's pages compute
their figures in the browser and print none; rlacalc's doctests are the
closest published input -> output pairs for them (its nmin cases are "more
exact than but based on p. 5 of" Lindeman & Stark's Gentle Introduction, its
findAsn cases are Table 1 of the BRAVO paper).

Every expected value in the JSON is a doctest value copied from rlacalc. This
script only
  1. re-expresses rlacalc's formulas (nmin, KM_Expected_sample_size,
     KM_P_value, ballot_polling_risk_level, findAsn) in its own words and
     asserts that they reproduce those doctest values, so that a slip in
     copying a number shows here;
  2. derives the inputs Acta's API needs to reach the same quantity (integer
     vote counts for findAsn's contests; for the nmin case with one one-vote
     overstatement, a number of draws already made after which Acta's
     planner, Arlo's get_sample_sizes rule, expects exactly one).

Run: python3 libs/audit/test/vectors/generate-stark-tools.py > libs/audit/test/vectors/stark-tools-rlacalc.json
(Python 3 standard library only.)
"""
import json
import math
import sys

GAMMA = 1.03905
NMIN_COMMIT = "a833e179c54531585fa721db7c0fd5786f077829"


def stopping_size(alpha, margin, o1=0, o2=0, u1=0, u2=0):
    """Stark's Kaplan-Markov stopping size for given misstatement counts."""
    g = GAMMA
    size = math.ceil(
        -2.0 * g * (math.log(alpha)
                    + o1 * math.log(1.0 - 1.0 / (2.0 * g))
                    + o2 * math.log(1.0 - 1.0 / g)
                    + u1 * math.log(1.0 + 1.0 / (2.0 * g))
                    + u2 * math.log(1.0 + 1.0 / g)) / margin)
    # rlacalc's lower bound reads o1 + o2 + u1 + u1 (a slip); it never binds here.
    return max(o1 + o2 + u1 + u2, size)


def expected_size_from_rates(alpha, margin, or1):
    """The size at which the p-value meets alpha if one-vote overstatements come at rate or1."""
    g = GAMMA
    denom = math.log(1 - margin / (2 * g)) - or1 * math.log(1 - 1 / (2 * g))
    return math.ceil(math.log(alpha) / denom) if denom < 0 else math.inf


def comparison_p_value(n, margin, o1):
    g = GAMMA
    return (1 - margin / (2 * g)) ** n * (1 - 1 / (2 * g)) ** (-o1)


def bravo_p_value(w_votes, l_votes, w_seen, l_seen):
    try:
        s = w_votes / (w_votes + l_votes)
    except ZeroDivisionError:
        return 1.0
    log_t = (math.log(s) - math.log(0.5)) * w_seen + (math.log(1 - s) - math.log(0.5)) * l_seen
    return math.exp(-log_t)


def bravo_asn(alpha, margin):
    ballots = 100000
    vw = ballots * (0.5 + margin / 2.0)
    vl = ballots * (0.5 - margin / 2.0)
    sw = vw / (vw + vl)
    zw = math.log(2 * sw)
    zl = math.log(2 * (1 - sw))
    pw, pl = vw / ballots, vl / ballots
    return math.ceil((math.log(1 / alpha) + zw / 2) / (((vw + vl) / ballots) * (pw * zw + pl * zl))), vw, vl


NH_2016 = {"winner": 354040, "loser": 337589, "other": 33234}


def main():
    out = {
        "description": (
            "Published examples of rlacalc (nealmcb/audit_cvrs, audit_cvrs/rlacalc.py), a port of the "
            "JavaScript of P. B. Stark's online comparison and ballot-polling audit tools (auditTools.htm, "
            "ballotPollTools.htm), gamma 1.03905. Every expected value is an rlacalc doctest value; "
            "generate-stark-tools.py re-derives each from rlacalc's formulas (asserting agreement) and "
            "derives only the inputs Acta's API needs. Not carried over, and why: rho() (the super-simple "
            "sample-size multiplier; Acta plans with Stark's nmin instead, it has no rho); "
            "nmin(margin=0.005, o1=1, u1=1) = 1067 (Acta's planner plans understatements only in the first "
            "round, and then at Arlo's default rates, which give o1 = u1 = 2 there, not 1); "
            "KM_Expected_sample_size / KM_Expected_sample_size_rounded / nminFromRates (rates of 0.001 "
            "with alpha 0.05: Acta takes rates only as observed counts over draws already made, and a rate "
            "of 1/1000 needs 1000 draws, past the 335 the examples plan for, so Acta answers 0 more draws; "
            "the first-round default rates 0.001/0.0001 with understatements are Arlo's cases, covered by "
            "arlo-supersimple.json); ballot_polling_risk_level's overflow cases (rlacalc returns NaN by "
            "design where a log of 0 arises)."
        ),
        "gamma": GAMMA,
        "source": {"repository": "nealmcb/audit_cvrs", "path": "audit_cvrs/rlacalc.py"},
        "nmin": {
            "source": {"commit": NMIN_COMMIT, "function": "nmin", "doctests": "nmin docstring (version 0.1.0)"},
            "note": (
                "Stark's stopping size for a count of misstatements. Acta reaches it through "
                "computeSupersimpleSampleSizes after drawsSoFar draws with the given one-vote overstatements "
                "(and no other discrepancy): it then plans for the observed rate, and the draws still to make "
                "are expected - drawsSoFar. For the case with one overstatement, drawsSoFar is the number of "
                "draws after which the planned count ceil(rate * n0) is exactly 1 (n0 from rlacalc's "
                "KM_Expected_sample_size)."
            ),
            "cases": [],
        },
        "comparisonPValue": {
            "source": {"function": "KM_P_value", "doctests": "KM_P_value docstring (version 0.2.0)"},
            "note": "New Hampshire 2016 presidential contest; margin (354040 - 337589) / (354040 + 337589 + 33234).",
            "cases": [],
        },
        "pollingPValue": {
            "source": {"function": "ballot_polling_risk_level", "doctests": "ballot_polling_risk_level docstring (version 0.2.0)"},
            "note": "BRAVO's 1/T for one winner-loser pair; ballots in the contest are taken as the pair's votes (at least 1).",
            "cases": [],
        },
        "pollingAsn": {
            "source": {"function": "findAsn", "doctests": "findAsn docstring (version 0.2.0), from Table 1 of the BRAVO paper"},
            "note": "rlacalc builds a 100000-ballot two-candidate contest with shares 1/2 +- margin/2; the vote counts are those doubles, which are whole numbers.",
            "cases": [],
        },
    }

    nmin_cases = [
        ({"alpha": 0.1, "margin": 0.2}, 24.0),
        ({"alpha": 0.1, "margin": 0.1}, 48.0),
        ({"alpha": 0.1, "margin": 0.002}, 2393.0),
        ({"alpha": 0.1, "margin": 0.05, "o1": 1}, 123.0),
        ({"alpha": 0.1, "margin": 0.05}, 96.0),
        ({"alpha": 0.2, "margin": 0.05}, 67.0),
    ]
    for args, published in nmin_cases:
        o1 = args.get("o1", 0)
        assert stopping_size(args["alpha"], args["margin"], o1) == published, (args, published)
        draws = 1
        if o1 > 0:
            # Fewest draws k after which the planner's expected count,
            # ceil(o1 / k * n0), is o1 — that is, n0 <= k (and k stays below
            # the stopping size, so that the answer shows it).
            draws = next(
                k for k in range(o1, int(published))
                if expected_size_from_rates(args["alpha"], args["margin"], o1 / k) <= k
            )
        out["nmin"]["cases"].append({
            "call": f"nmin({', '.join(f'{k}={v}' for k, v in args.items())})",
            "alpha": args["alpha"],
            "margin": args["margin"],
            "oneVoteOver": o1,
            "drawsSoFar": draws,
            "expected": int(published),
        })

    nh_margin = (NH_2016["winner"] - NH_2016["loser"]) / sum(NH_2016.values())
    published = 0.21438135077031842
    assert comparison_p_value(200, nh_margin, 1) == published
    out["comparisonPValue"]["cases"].append({
        "call": "KM_P_value(200, 1.03905, margin, 1, 0, 0, 0)",
        "candidates": NH_2016,
        "ballots": sum(NH_2016.values()),
        "sampleSize": 200,
        "oneVoteOver": 1,
        "expected": published,
    })

    for (w, l, ws, ls), published, label in [
        ((1410, 1132, 170, 135), 0.1342382069344729, "Custer County 2018"),
        ((2894, 1695, 45, 32), 0.47002027242290234, "Las Animas County 2018"),
        ((0, 0, 2000, 0), 1.0, "no reported votes"),
    ]:
        assert bravo_p_value(w, l, ws, ls) == published, label
        out["pollingPValue"]["cases"].append({
            "call": f"ballot_polling_risk_level({w}, {l}, {ws}, {ls})",
            "label": label,
            "winnerVotes": w,
            "loserVotes": l,
            "winnerSampled": ws,
            "loserSampled": ls,
            "expected": published,
        })

    for margin, published in [(0.01, 46151.0), (0.04, 2902.0), (0.2, 119.0)]:
        asn, vw, vl = bravo_asn(0.1, margin)
        assert asn == published, (margin, asn)
        assert vw == int(vw) and vl == int(vl)
        out["pollingAsn"]["cases"].append({
            "call": f"findAsn(margin={margin})",
            "alpha": 0.1,
            "winnerVotes": int(vw),
            "loserVotes": int(vl),
            "ballots": 100000,
            "expected": int(published),
        })

    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
