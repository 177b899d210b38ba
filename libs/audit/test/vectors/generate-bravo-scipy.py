#!/usr/bin/env python3
"""
Generates bravo-scipy.json: BRAVO sample-size options and p-values for a grid
of contests, computed independently of libs/audit/src/bravo.ts with Python's
Decimal (28 digits, as Arlo computes), scipy.stats.norm and scipy.stats.binom.

The algorithm is VotingWorks Arlo's server/audit_math/bravo.py (get_sample_size,
compute_risk), re-expressed here from its description: in particular the
quantile sizes use Arlo's plain one-by-one search from the normal estimate,
which the TypeScript shortens, so agreement checks that shortcut, the
@stdlib binomial quantile against scipy's, and doubles against Decimal.

Run: python3 libs/audit/test/vectors/generate-bravo-scipy.py > libs/audit/test/vectors/bravo-scipy.json
(numpy 2.4.6, scipy 1.17.1.)
"""
import json
import math
import sys
from decimal import Decimal

import scipy
from scipy import stats

HALF = Decimal(0.5)


def shares(cands):
    """Winners/losers and pair shares as Arlo's sampler_contest.Contest derives them."""
    return sorted(cands.items(), key=lambda kv: kv[1], reverse=True)


def split(contest):
    ranked = shares(contest["candidates"])
    k = contest["numWinners"]
    return ranked[:k], ranked[k:]


def swl(contest, w_votes, l_votes):
    total = sum(contest["candidates"].values())
    s_w = w_votes / total
    s_l = l_votes / total
    return s_w / (s_w + s_l)


def cumulate(contest, rounds):
    acc = {c: 0 for c in contest["candidates"]}
    for tally in rounds:
        for c, n in tally.items():
            acc[c] += n
    return acc


def log_free_statistic(contest, sample):
    """T per pair, as a Decimal product (no logarithms)."""
    winners, losers = split(contest)
    out = {}
    for w, wv in winners:
        for l, lv in losers:
            share = swl(contest, wv, lv)
            t = Decimal(1)
            if sample[w]:
                t *= Decimal(share / 0.5) ** sample[w]
            if sample[l]:
                t *= Decimal((1 - share) / 0.5) ** sample[l]
            out[(w, l)] = t
    return out


def risk(contest, alpha, rounds):
    sample = cumulate(contest, rounds)
    T = log_free_statistic(contest, sample)
    if sum(sample.values()) >= contest["ballots"]:
        return [[w, l, 0.0] for (w, l) in T], True
    confirmed = True
    rows = []
    for (w, l), t in T.items():
        raw = 1 / t if t > 0 else Decimal(1)
        rows.append([w, l, min(float(raw), 1.0)])
        if raw > alpha:
            confirmed = False
    return rows, confirmed


def asn_prob(alpha, p_w, p_r, s_w, s_r, asn):
    p_wr = p_w + p_r
    p_w2 = p_w / p_wr
    p_r2 = 1 - p_w2
    plus = (p_w2 / HALF).ln()
    minus = (p_r2 / HALF).ln()
    thr = (1 / alpha).ln() - (s_w * plus + s_r * minus)
    if thr <= 0:
        return 0.0
    n = asn * p_wr
    need = (thr - minus * n) / (plus - minus)
    z = (need - n * p_w2) / (n * p_w2 * p_r2).sqrt()
    return round(float(stats.norm.cdf(float(-z))), 2)


def quantile_size(alpha, p_w, p_r, s_w, s_r, p_c, ballots):
    p_wr = p_w + p_r
    p_w2 = p_w / p_wr
    p_r2 = 1 - p_w2
    plus = (p_w2 / HALF).ln()
    minus = (p_r2 / HALF).ln()
    thr = (1 / alpha).ln() - (s_w * plus + s_r * minus)
    if thr <= 0:
        return 0, 0
    z = -stats.norm.ppf(p_c)
    d = p_w2 * p_r2
    f = thr / (plus - minus)
    g = minus / (plus - minus) + p_w2
    qa = g**2
    qb = -(Decimal(z) ** 2 * d + 2 * f * g)
    qc = f**2
    rad = Decimal(0).max(qb**2 - 4 * qa * qc).sqrt()
    n = math.floor((-qb + rad) / (2 * qa)) if p_c > 0.5 else math.floor((-qb - rad) / (2 * qa))
    steps = 0
    stat = Decimal(0)
    while stat.is_nan() or (stat < thr and n < ballots):
        x = Decimal(stats.binom.ppf(1.0 - p_c, n, float(p_w2)))
        stat = x * plus + (n - x) * minus
        steps += 1
        if stat.is_nan() or stat < thr:
            n += 1
    return math.ceil(n / p_wr), steps


def sample_sizes(contest, alpha, rounds):
    winners, losers = split(contest)
    ballots = contest["ballots"]
    sample = cumulate(contest, rounds)
    if sum(sample.values()) >= ballots:
        return {}, 0
    if min(v for _, v in winners) == max(v for _, v in losers):
        return {"all-ballots": {"size": ballots, "prob": None}}, 0
    if max(v for _, v in losers) == 0:
        return {"asn": {"size": 1, "prob": 1}}, 0
    T = log_free_statistic(contest, sample)
    size, worst = 0, None
    for w, wv in winners:
        for l, lv in losers:
            p_w = Decimal(wv / ballots)
            p_l = Decimal(lv / ballots)
            if p_l == 0:
                continue
            s = p_w / (p_w + p_l)
            z_w = (2 * s).ln()
            z_l = (2 - 2 * s).ln()
            wa = (Decimal(1) / alpha) / T[(w, l)]
            cand = math.ceil((wa.ln() + z_w / Decimal(2)) / (p_w * z_w + p_l * z_l))
            if cand > size:
                size, worst = cand, (p_w, p_l, sample[w], sample[l])
    if size == 0:
        return {}, 0
    prob = asn_prob(alpha, *worst, size) if contest["numWinners"] == 1 else None
    out = {"asn": {"size": size, "prob": prob}}
    if contest["numWinners"] != 1:
        return out, 0
    steps_total = 0
    for q in (0.7, 0.8, 0.9):
        best = 0
        for w, wv in winners:
            for l, lv in losers:
                p_w = Decimal(wv / ballots)
                p_l = Decimal(lv / ballots)
                if p_l == 0:
                    continue
                n, steps = quantile_size(alpha, p_w, p_l, sample[w], sample[l], q, ballots)
                steps_total += steps
                best = max(best, n)
        if best != 0:
            out[str(q)] = {"size": best, "prob": q}
    if ballots > 100000 and "0.9" in out and out["0.9"]["size"] >= ballots * 0.25:
        return {"all-ballots": {"size": ballots, "prob": None}}, steps_total
    return out, steps_total


def contest(name, cands, ballots, winners=1, votes_allowed=1):
    return {
        "name": name,
        "candidates": cands,
        "ballots": ballots,
        "numWinners": winners,
        "votesAllowed": votes_allowed,
    }


CONTESTS = [
    contest("two-60-40", {"a": 600, "b": 400}, 1000),
    contest("two-55-45-undervotes", {"a": 5500, "b": 4500}, 11000),
    contest("three-eighths", {"a": 600, "b": 200, "c": 100}, 900),
    contest("three-close-second", {"a": 4000, "b": 3600, "c": 2000}, 10000),
    contest("four-two-winners", {"a": 500, "b": 200, "c": 100, "d": 100}, 1000, 2, 2),
    contest("vote-for-two", {"a": 4000, "b": 3500, "c": 3000, "d": 500}, 6000, 2, 2),
    contest("zero-vote-loser", {"a": 700, "b": 300, "c": 0}, 1000),
    contest("medium-close", {"a": 51000, "b": 49000}, 100000),
    contest("large-52-48", {"a": 1040000, "b": 960000}, 2000000),
    contest("five-million-close", {"a": 2510000, "b": 2490000}, 5000000),
    contest("five-million-wide", {"a": 2750000, "b": 2250000}, 5000000),
    contest("small-close", {"a": 260, "b": 240}, 500),
    contest("tiny-margin-small", {"a": 5010, "b": 4990}, 10000),
]

ROUNDS = {
    "two-60-40": [[{"a": 20, "b": 18}], [{"a": 20, "b": 18}, {"a": 30, "b": 12}]],
    "two-55-45-undervotes": [[{"a": 300, "b": 280}]],
    "three-eighths": [[{"a": 25, "b": 18, "c": 5}], [{"a": 8, "b": 8}]],
    "three-close-second": [[{"a": 200, "b": 190, "c": 100}]],
    "four-two-winners": [[{"a": 50, "b": 20, "c": 10, "d": 12}]],
    "vote-for-two": [[{"a": 200, "b": 170, "c": 160, "d": 20}]],
    "zero-vote-loser": [[{"a": 30, "b": 25}]],
    "medium-close": [[{"a": 3000, "b": 2950}]],
    "large-52-48": [[{"a": 5000, "b": 4800}]],
    "five-million-close": [],
    "five-million-wide": [[{"a": 200, "b": 190}]],
    "small-close": [[{"a": 100, "b": 100}]],
    "tiny-margin-small": [[{"a": 1000, "b": 1000}]],
}

ALPHAS = ["0.05", "0.1", "0.01"]


def main():
    cases = []
    for c in CONTESTS:
        for alpha_s in ALPHAS:
            alpha = Decimal(alpha_s)
            for rounds in [[]] + ROUNDS[c["name"]]:
                sizes, _steps = sample_sizes(c, alpha, rounds)
                rows, confirmed = risk(c, alpha, rounds)
                cases.append(
                    {
                        "contest": c,
                        "alpha": float(alpha),
                        "rounds": rounds,
                        "sampleSizes": sizes,
                        "pValues": rows,
                        "confirmed": confirmed,
                    }
                )
    json.dump(
        {
            "source": "generated by libs/audit/test/vectors/generate-bravo-scipy.py "
            f"(Python Decimal, scipy {scipy.__version__}): Arlo's BRAVO "
            "(votingworks/arlo server/audit_math/bravo.py) with its one-by-one search",
            "cases": cases,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
