"""The customers room: CDNOW read from the lifetimes wheel, BG/NBD against the published fit and a
simulated log, retention and LTV figures against independent counts, the CLI as a user runs it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from aftersales.customers import (BGNBD, TransactionLogError, closed_form_value, conditional_expected_purchases,
                                  customer_report, expected_purchases, fit_bgnbd, load_cdnow, log_likelihood,
                                  prob_alive, quarterly_retention, read_transactions, repurchase_curve,
                                  simulate_bgnbd, summarise)


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


# ------------------------------------------------------------------- logs too small, a = 1, n/a
@pytest.mark.parametrize("rows", [
    ["a,2024-01-05,10"],                                        # calibration end = the only day
    ["a,2024-01-05,10", "b,2024-02-05,10"],                     # middle day 2024-01-20: only a bought by then
    ["a,2024-01-05,10", "a,2024-03-05,10", "b,2024-02-05,10"],  # middle day 2024-02-04: only a, once
])
def test_cli_refuses_a_log_too_small_to_fit(run_main, tmp_path, rows):
    f = tmp_path / "small.csv"
    f.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for extra in (["--json"], []):
        r = run_main("customers", f, *extra)
        assert r.returncode == 2 and r.stdout == "", r.stdout
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
        assert lines[0].startswith("error: small.csv: too few customers for a BG/NBD fit: 1 customer bought by "
                                   "the calibration end")
        assert "0 of them bought again" in lines[0]
        assert "at least 10 customers and 2 who bought again" in lines[0]


def test_report_refuses_nine_customers_or_one_repeat_buyer(tmp_path):
    def log(rows):
        f = tmp_path / "log.csv"
        f.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return read_transactions(f)

    firsts = [f"c{i},2024-01-{i + 1:02d},10" for i in range(10)]
    # calibration end 2024-03-01: nine customers (c9 has not bought yet), two of them again
    with pytest.raises(TransactionLogError, match="9 customers bought by the calibration end 2024-03-01, 2 of them"):
        customer_report(log(firsts[:9] + ["c0,2024-01-20,5", "c1,2024-02-01,5", "c9,2024-03-05,1"]), "2024-03-01")
    with pytest.raises(TransactionLogError, match="10 customers bought by the calibration end 2024-03-01, 1 of them"):
        customer_report(log(firsts + ["c0,2024-01-20,5", "c1,2024-03-20,5"]), "2024-03-01")


@pytest.mark.slow
def test_cli_short_log_prints_n_a_and_no_warnings(run_cli, tmp_path):
    # ten customers first buying on 1-10 January 2024; c0 again after 19 days, c1 after 30, c2 after 77,
    # c3 after 86; the log ends 2024-03-30 (calibration end: the middle day 2024-02-14, c0 and c1 repeat).
    # Within 30 days: c0 and c1 of 10 = 20.0%; 90 days: first day + 90 = 2024-03-31 > the last day, so
    # no customer is followed that long: n/a, as are 182 and 365 days, the closed form (no customer
    # followed a year) and every observed lifetime value.
    f = tmp_path / "ten.csv"
    rows = [f"c{i},2024-01-{i + 1:02d},{10 + i}" for i in range(10)]
    rows += ["c0,2024-01-20,5", "c1,2024-02-01,7", "c2,2024-03-20,9", "c3,2024-03-30,4"]
    f.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = run_cli("customers", f)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "bought again within 30/90/182/365 days: 20.0% / n/a / n/a / n/a" in r.stdout
    assert "nan" not in r.stdout
    ltv = [line for line in r.stdout.splitlines() if line.startswith("LTV ")]
    assert len(ltv) == 3 and all("closed form n/a" in line and line.endswith("observed n/a") for line in ltv)
    r = run_cli("customers", f, "--json")
    assert r.returncode == 0 and r.stderr == ""
    out = json.loads(r.stdout)
    assert out["calibration_end"] == "2024-02-14" and out["bgnbd"]["customers_fitted"] == 10
    assert out["repurchase"] == {"within_30d": pytest.approx(0.2), "within_90d": None, "within_182d": None,
                                 "within_365d": None}
    assert out["ltv"]["closed_form"] == [None, None, None] and out["ltv"]["observed"] == [None, None, None]


def test_cli_folder_is_not_a_log(run_cli, tmp_path):
    r = run_cli("customers", tmp_path, "--json")
    assert r.returncode == 2 and r.stderr.strip() == f"error: {tmp_path} is a folder, not a CSV file"


def test_expected_purchases_at_a_equal_one_by_hand():
    # r = a = b = 1: lambda ~ Exp(alpha), p ~ U(0, 1); E[X(t)] = int_0^1 (1 - alpha/(alpha + p t)) / p dp
    # = int_0^1 t / (alpha + p t) dp = ln((alpha + t) / alpha)
    assert float(expected_purchases(BGNBD(1.0, 1.0, 1.0, 1.0), np.e - 1)) == pytest.approx(1.0, rel=1e-9)
    got = expected_purchases(BGNBD(1.0, 2.0, 1.0, 1.0), [0.0, 2.0, 6.0])
    assert got == pytest.approx([0.0, np.log(2.0), np.log(4.0)], rel=1e-9, abs=1e-12)
    # the holdout prediction of a customer without repeats: eq. 10's numerator is eq. 7 with
    # alpha + T, so with alpha = 1, T = 1, t = 2: ln((2 + 2) / 2)
    assert float(conditional_expected_purchases(BGNBD(1.0, 1.0, 1.0, 1.0), 2.0, 0, 0.0, 1.0)) == \
        pytest.approx(np.log(2.0), rel=1e-9)


@pytest.mark.parametrize("r,alpha,b", [(0.243, 4.414, 2.426), (0.5, 3.0, 0.7), (2.0, 10.0, 5.0)])
def test_a_equal_one_is_the_limit_of_the_closed_form(r, alpha, b):
    """At a = 1 the value is the mean of the closed form at a = 1 -+ h (a smooth function: error O(h^2))."""
    t = np.array([1.0, 13.0, 52.0, 260.0])
    x, t_x, T = np.array([0.0, 2.0, 7.0]), np.array([0.0, 10.0, 30.0]), np.array([20.0, 35.0, 38.0])
    h = 1e-3

    def at(a):
        m = BGNBD(r, alpha, a, b)
        return expected_purchases(m, t), conditional_expected_purchases(m, 39.0, x, t_x, T)

    (e0, c0), (elo, clo), (ehi, chi) = at(1.0), at(1 - h), at(1 + h)
    assert np.isfinite(e0).all() and np.isfinite(c0).all()
    assert e0 == pytest.approx((elo + ehi) / 2, rel=1e-5)
    assert c0 == pytest.approx((clo + chi) / 2, rel=1e-5)


def test_a_fit_that_runs_off_is_refused_in_one_line():
    from aftersales.customers.report import check_fit_figures

    runaway = BGNBD(2.9e22, 1.6e25, 1.9e-20, 2.3e-18, log_likelihood=float("inf"), n_customers=31)
    with pytest.raises(TransactionLogError, match=r"^log\.csv: the BG/NBD fit on 31 customers \(13 who bought "
                                                  r"again\) does not settle on finite figures"):
        check_fit_figures(runaway, [1.0, 2.0], 13, "log.csv")
    check_fit_figures(BGNBD(0.243, 4.414, 0.793, 2.426, log_likelihood=-9582.4), [1.0], 5, "log.csv")


def _csv_log(tmp_path, rows):
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date,amount\n" + "".join(f"{c},{d},10\n" for c, d in rows), encoding="utf-8")
    return read_transactions(f)


def test_quarterly_retention_counts_whole_quarters_only(tmp_path):
    """By hand: the log runs 1 Jan to 30 Jun, two whole quarters. The cohort is the first quarter's
    buyers a, b, c (d first buys in May); a and c buy again in the second quarter, so the active
    shares are 3/3 and 2/3, R_0 = 2/3, the geometric model predicts 1 and 2/3, and nobody had missed
    a quarter."""
    log = _csv_log(tmp_path, [("a", "2024-01-01"), ("b", "2024-02-10"), ("c", "2024-03-03"),
                              ("a", "2024-05-02"), ("c", "2024-04-20"), ("d", "2024-05-05"),
                              ("d", "2024-06-30")])
    q = quarterly_retention(log)
    assert q["cohort"] == 3
    assert q["quarters"] == ["2024-01-01", "2024-04-01"]
    assert q["active_share"] == pytest.approx([1.0, 2 / 3])
    assert q["retention"] == pytest.approx([2 / 3])
    assert q["geometric_active_share"] == pytest.approx([1.0, 2 / 3])
    assert q["called_gone"] == [0.0, 0.0]


def test_a_log_shorter_than_a_quarter_has_no_quarterly_figures(tmp_path):
    """5 Jan to 20 Feb covers no whole calendar quarter: no figure at all, not a 0.0 % share for a
    quarter the log never saw."""
    log = _csv_log(tmp_path, [("a", "2024-01-05"), ("b", "2024-01-20"), ("a", "2024-02-20")])
    q = quarterly_retention(log)
    assert (q["active_share"], q["retention"], q["geometric_active_share"], q["called_gone"], q["quarters"]) \
        == ([], [], [], [], [])
    assert q["cohort"] == 2


def test_the_cli_says_when_the_log_covers_no_whole_quarter(tmp_path, capsys):
    """30 customers over 5 Jan - 3 Mar (seeded): the report runs, and the quarterly line says there
    is no whole quarter instead of printing a share."""
    from aftersales.cli import main
    rng = np.random.default_rng(3)
    rows = [f"c{c},{np.datetime64('2024-01-05') + int(rng.integers(0, 60))},{rng.integers(5, 50)}"
            for c in range(30) for _ in range(rng.integers(1, 5))]
    f = tmp_path / "short.csv"
    f.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["customers", str(f)]) == 0
    out = capsys.readouterr().out
    assert "active share by quarter:   none (the log ends before its first calendar quarter does)" in out
    assert "geometric model predicts" not in out


def test_a_log_starting_inside_its_first_quarter_counts_that_quarter(tmp_path):
    """As docs/customers.md decides: 15 Feb - 31 Mar reaches the first quarter's last day, so Q1 counts
    (from the log's first day): the cohort a, b is active in it by definition, share 1.0, and there is
    no second quarter to retain into. One day shorter (to 30 Mar) the log ends before Q1 does: none."""
    log = _csv_log(tmp_path, [("a", "2024-02-15"), ("b", "2024-03-01"), ("a", "2024-03-31")])
    q = quarterly_retention(log)
    assert (q["quarters"], q["active_share"], q["retention"], q["cohort"]) == (["2024-01-01"], [1.0], [], 2)
    short = _csv_log(tmp_path, [("a", "2024-02-15"), ("b", "2024-03-01"), ("a", "2024-03-30")])
    assert (quarterly_retention(short)["quarters"], quarterly_retention(short)["active_share"]) == ([], [])


# ------------------------------------------------------------------- dates: one reader for log and calibration end
@pytest.mark.parametrize("text", ["1997-09-30", "1997/9/30", "1997/09/30", "19970930", "1997-09-30 23:59",
                                  "1997-9-30T08:00"])
def test_to_date_reads_the_three_forms_of_a_log(text):
    """30 September 1997 written in each form read_transactions accepts in a log."""
    from aftersales.customers.summary import to_date
    assert to_date(text) == np.datetime64("1997-09-30")


@pytest.mark.parametrize("text", ["30.09.1997", "97-9-30", "1997-02-30", "19970230", "199709301", "1997-09",
                                  "sometime", ""])
def test_to_date_refuses_anything_else_in_one_line(text):
    from aftersales.customers.summary import to_date
    with pytest.raises(ValueError) as err:
        to_date(text)
    assert str(err.value) == f"{text!r} is not a date (use YYYY-MM-DD, YYYY/M/D or YYYYMMDD)"


def test_to_date_refuses_a_number():
    """The integer 19970930 was once read by numpy as the year 19970930."""
    from aftersales.customers.summary import to_date
    with pytest.raises(ValueError, match="^19970930 is not a date"):
        to_date(19970930)


def test_log_and_calibration_end_are_read_by_one_parser(tmp_path):
    """The same four texts in a log's date column and as the calibration end: the log reads
    three of them as 30 September 1997 and sets the fourth aside; to_date does the same."""
    from aftersales.customers.summary import to_date
    texts = ["1997-09-30", "1997/9/30", "19970930", "30/09/1997"]
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date,amount\n" + "".join(f"c{i},{t},1\n" for i, t in enumerate(texts)))
    log = read_transactions(f)
    assert [str(d) for d in log.date] == ["1997-09-30"] * 3
    assert log.set_aside == ((5, "column date: '30/09/1997' is not a date"),)
    for t in texts[:3]:
        assert to_date(t) == np.datetime64("1997-09-30")
    with pytest.raises(ValueError):
        to_date(texts[3])


@pytest.mark.slow
@pytest.mark.parametrize("end", ["19970930", "1997/9/30"])
def test_cli_calibration_end_in_the_other_forms(run_cli, end):
    r = run_cli("customers", "cdnow-sample", "--calibration-end", end, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["calibration_end"] == "1997-09-30"


@pytest.mark.slow
def test_cli_bad_calibration_end_is_one_line(run_cli):
    r = run_cli("customers", "cdnow-sample", "--calibration-end", "1997/13/40", "--json")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == ("error: calibration end '1997/13/40' is not a date "
                                "(use YYYY-MM-DD, YYYY/M/D or YYYYMMDD)")


# ------------------------------------------------------------------- the first year: days 0..365, one window
def test_first_year_includes_the_anniversary_for_p0_and_a0(tmp_path):
    """By hand (2023 has 365 days, so 2023-01-01 + 365 days = 2024-01-01). The log ends 2024-01-03.
    a: 10 on 2023-01-01, 20 on 2024-01-01 (exactly 365 days on: inside the first year);
    b: 30 on 2023-01-02, 7 on 2024-01-03 (366 days on: outside);
    c: 40 on 2023-01-03, nothing else (followed exactly 365 days: counted);
    e: 50 on 2023-01-04 (first + 365 days = 2024-01-04, after the last day: not followed a year).
    Followed: a, b, c. p0 = 1/3 (a only); a0 = (10 + 20 + 30 + 40) / 3 = 100/3."""
    from aftersales.customers import first_year_inputs, observed_value
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date,amount\na,2023-01-01,10\na,2024-01-01,20\nb,2023-01-02,30\nb,2024-01-03,7\n"
                 "c,2023-01-03,40\ne,2023-01-04,50\n", encoding="utf-8")
    log = read_transactions(f)
    p0, a0 = first_year_inputs(log)
    assert p0 == pytest.approx(1 / 3)
    assert a0 == pytest.approx(100 / 3)
    assert repurchase_curve(log, (365,))[365] == pytest.approx(1 / 3)
    assert observed_value(log, (1,)) == [None]          # e is not followed a whole year


def test_observed_first_year_is_the_same_window_as_a0(tmp_path):
    """a, b, c of the test above without e: every customer is followed 365 days, so the observed
    first-year value is measured, (10 + 20 + 30 + 40) / 3 = 100/3, and equals a0 (the closed
    form at one year)."""
    from aftersales.customers import closed_form_value, first_year_inputs, observed_value
    f = tmp_path / "log.csv"
    f.write_text("customer_id,date,amount\na,2023-01-01,10\na,2024-01-01,20\nb,2023-01-02,30\nb,2024-01-03,7\n"
                 "c,2023-01-03,40\n", encoding="utf-8")
    log = read_transactions(f)
    p0, a0 = first_year_inputs(log)
    assert observed_value(log, (1, 2)) == [pytest.approx(100 / 3), None]
    assert closed_form_value(a0, p0, (1,))[0] == pytest.approx(100 / 3)
