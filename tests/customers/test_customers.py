"""The customers room: CDNOW read from the lifetimes wheel, BG/NBD against the published fit and a
simulated log, retention and LTV figures against independent counts, the CLI as a user runs it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from aftersales.customers import (BGNBD, TransactionLogError, closed_form_value, customer_report,
                                  expected_purchases, fit_bgnbd, load_cdnow, log_likelihood, prob_alive,
                                  quarterly_retention, read_transactions, repurchase_curve, simulate_bgnbd,
                                  summarise)


@pytest.fixture(scope="module")
def master():
    return load_cdnow("master")


@pytest.fixture(scope="module")
def sample():
    return load_cdnow("sample")


def test_cdnow_master_has_the_published_size(master):
    assert (master.n_customers, len(master)) == (23570, 69659)
    assert (str(master.first_date), str(master.last_date)) == ("1997-01-01", "1998-06-30")
    assert master.set_aside == ()


def test_cdnow_is_read_without_importing_lifetimes(master):
    import sys
    assert "lifetimes" not in sys.modules


def test_bgnbd_reproduces_the_published_cdnow_fit(sample):
    """Fader, Hardie and Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9,582.4."""
    s = summarise(sample, "1997-09-30", "W")
    assert len(s.x) == 2357
    m = fit_bgnbd(s.x, s.t_x, s.T)
    assert (round(m.r, 3), round(m.alpha, 3), round(m.a, 3), round(m.b, 3)) == (0.243, 4.414, 0.793, 2.426)
    assert round(m.log_likelihood, 1) == -9582.4


def test_the_fit_is_a_maximum(sample):
    s = summarise(sample, "1997-09-30")
    m = fit_bgnbd(s.x, s.t_x, s.T)
    best = log_likelihood(m, s.x, s.t_x, s.T).sum()
    assert best == pytest.approx(m.log_likelihood)
    for k in range(4):
        for f in (0.97, 1.03):
            p = [m.r, m.alpha, m.a, m.b]
            p[k] *= f
            assert log_likelihood(p, s.x, s.t_x, s.T).sum() < best


def test_known_parameters_come_back_from_a_simulated_log():
    true = BGNBD(0.5, 6.0, 0.9, 3.0)
    T = np.random.default_rng(7).uniform(30, 80, 20_000)
    x, t_x = simulate_bgnbd(true, T, seed=11)
    m = fit_bgnbd(x, t_x, T)
    for name in ("r", "alpha", "a", "b"):
        assert getattr(m, name) == pytest.approx(getattr(true, name), rel=0.12), name
    # the model's mean purchases match the simulated mean (a second, independent check)
    assert float(np.mean(x)) == pytest.approx(float(np.mean(expected_purchases(m, T))), rel=0.03)


def test_expected_purchases_match_a_simulation():
    m = BGNBD(0.243, 4.414, 0.793, 2.426)
    x, _ = simulate_bgnbd(m, np.full(200_000, 52.0), seed=3)
    assert float(expected_purchases(m, 52.0)) == pytest.approx(float(x.mean()), rel=0.02)


def test_prob_alive_is_one_without_repeats_and_falls_with_silence():
    m = BGNBD(0.243, 4.414, 0.793, 2.426)
    p = prob_alive(m, [0, 2, 2], [0.0, 30.0, 5.0], [39.0, 39.0, 39.0])
    assert p[0] == 1.0 and p[1] > p[2]


def test_repurchase_curve_against_a_direct_count(master):
    curve = repurchase_curve(master)
    # independent: per customer, the second distinct purchase day
    import collections
    days = collections.defaultdict(set)
    for c, d in zip(master.customer, master.date.astype(int)):
        days[c].add(int(d))
    gaps = [sorted(v)[1] - sorted(v)[0] if len(v) > 1 else 10**9 for v in days.values()]
    assert curve[365] == pytest.approx(np.mean(np.array(gaps) <= 365))
    assert curve[30] < curve[90] < curve[182] < curve[365]


def test_geometric_model_misses_the_later_quarters(master):
    q = quarterly_retention(master)
    assert q["geometric_active_share"][4] < 0.01
    assert q["active_share"][4] == pytest.approx(0.16, abs=0.01)
    assert q["retention"][-1] > q["retention"][0]  # retention rises with tenure
    assert q["called_gone"][4] > 0.5


def test_closed_form_uses_the_lifetime_multiplier():
    assert closed_form_value(100.0, 0.5, (1, 3), 0.0) == pytest.approx([100.0, 175.0])
    assert closed_form_value(100.0, 0.5, (200,), 0.1)[0] == pytest.approx(100 * 1.1 / 0.6)


def test_report_is_consistent(master):
    rep = customer_report(master, "1997-12-31", "W")
    assert rep["ltv"]["closed_form"][0] == pytest.approx(rep["ltv"]["observed"][0])
    assert rep["ltv"]["observed"][1:] == [None, None]
    assert rep["bgnbd"]["holdout_actual"] > 0 and rep["bgnbd"]["holdout_predicted"] > 0


# ------------------------------------------------------------------- CSV input
def test_csv_missing_column_is_named(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date\na,2024-01-01\n")
    with pytest.raises(TransactionLogError, match="log.csv: missing column 'amount'"):
        read_transactions(f)


def test_csv_bad_rows_are_set_aside_with_reasons(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date,amount\na,2024-01-01,10\n,2024-01-02,3\nb,2024-13-45,2\nc,2024-02-01,-4\n"
                 "c,20240301,\"1,299.00\"\n", encoding="utf-8")
    log = read_transactions(f)
    assert len(log) == 2
    rows = dict(log.set_aside)
    assert set(rows) == {3, 4, 5}
    assert "customer_id" in rows[3] and "date" in rows[4] and "amount" in rows[5]
    assert log.amount.sum() == pytest.approx(1309.0)


# ------------------------------------------------------------------- CLI
KEYS = {"customers", "transactions", "first_date", "last_date", "repurchase", "quarterly_active_share",
        "quarterly_retention", "geometric_active_share", "bgnbd", "ltv"}


@pytest.mark.slow
def test_cli_cdnow_json(run_cli, master):
    r = run_cli("customers", "cdnow", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert KEYS <= set(out)
    assert set(out["repurchase"]) == {"within_30d", "within_90d", "within_182d", "within_365d"}
    assert {"r", "alpha", "a", "b", "log_likelihood", "holdout_predicted", "holdout_actual"} <= set(out["bgnbd"])
    assert all(len(out["ltv"][k]) == 3 for k in ("closed_form", "observed", "bgnbd"))
    assert (out["customers"], out["transactions"]) == (23570, 69659)
    assert out["repurchase"]["within_90d"] == pytest.approx(repurchase_curve(master)[90])


@pytest.mark.slow
def test_cli_csv_and_errors(run_cli, tmp_path):
    f = tmp_path / "log.csv"
    rng = np.random.default_rng(0)
    lines = ["customer_id,date,amount"]
    for c in range(60):
        for d in sorted(rng.choice(300, size=1 + c % 4, replace=False)):
            lines.append(f"c{c},{np.datetime64('2024-01-01') + int(d)},{10 + c % 7}")
    lines.append("bad,notadate,3")
    f.write_text("\n".join(lines) + "\n")
    r = run_cli("customers", f, "--freq", "D", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["set_aside"]["count"] == 1 and "date" in out["set_aside"]["rows"][0]["reason"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,date,amount\n1,2024-01-01,3\n")
    r = run_cli("customers", bad, "--json")
    assert r.returncode == 2 and "missing column 'customer_id'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = run_cli("customers", "cdnow", "--calibration-end", "1999-01-01", "--json")
    assert r.returncode == 2 and "outside the log" in r.stderr and len(r.stderr.strip().splitlines()) == 1
