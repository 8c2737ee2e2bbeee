"""The command line. The tests with ``run_cli`` run ``python -m aftersales`` as a user runs it (one at
least per command); the others call ``aftersales.cli.main`` in this process (``run_main``: the same
arguments, exit code, stdout and stderr, without the start-up of a new Python)."""
import json

import pytest

from aftersales import evaluate, load_scenario, save_scenario
from aftersales.model.scenario import SCENARIO_DIR

CONTRACT = {
    "scenario": None, "method": None, "services": None,
    "totals": {"service_revenue", "service_cost", "service_contribution"},
    "traditional": {"cost", "revenue", "net"},
    "value_added": {"cost", "revenue", "net", "wakeup_customers", "wakeup_revenue",
                    "wakeup_contribution", "total_effect"},
    "lifecycle": {"repurchase_12m_traditional", "repurchase_12m_value_added", "ltv_traditional",
                  "ltv_value_added", "wakeup_share", "wakeup_share_low", "wakeup_share_high",
                  "annual_value_per_customer", "annual_product_margin_per_customer"},
    "leakage": None,
}


@pytest.mark.parametrize("method", ["seed", "corrected"])
@pytest.mark.parametrize("name", ["seed-demo", "article-headline", "fast-fashion", "outdoor-repair"])
def test_evaluate_json_follows_the_contract(run_main, name, method):
    r = run_main("evaluate", SCENARIO_DIR / f"{name}.toml", "--method", method, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert list(d) == list(CONTRACT)
    for key, sub in CONTRACT.items():
        if sub:
            assert set(d[key]) == sub, key
    assert d["method"] == method and d["scenario"] == name
    for s in d["services"]:
        assert list(s) == ["name", "kind", "users", "uses", "billable_units", "revenue", "cost",
                           "gross_margin", "wakeups"]
    assert set(d["leakage"]) == {"per_item", "annual"}
    assert set(d["leakage"]["per_item"]) == {"traditional_recovery", "leakage_vs_price", "accounting_loss",
                                             "remake_own_recovery", "remake_new_recovery"}
    assert d == json.loads(json.dumps(evaluate(name, method).to_dict()))


def test_evaluate_defaults_to_corrected_and_reproduces_the_worked_example(run_cli):
    d = json.loads(run_cli("evaluate", "seed-demo", "--json").stdout)
    assert d["method"] == "corrected"
    assert d["value_added"]["net"] == -1_428_000
    assert round(d["value_added"]["total_effect"], 2) == 8_917_532.29


def test_evaluate_without_leakage_gives_null(run_main, tmp_path):
    from dataclasses import replace
    p = save_scenario(replace(load_scenario("seed-demo"), leakage=None), tmp_path / "noleak.toml")
    d = json.loads(run_main("evaluate", p, "--json").stdout)
    assert d["leakage"] is None


@pytest.mark.parametrize("content,needle", [
    ("name = 'x'\n", "missing table [brand]"),
    ("not toml at all [", "not valid TOML"),
])
def test_bad_file_gives_one_line_on_stderr(run_main, tmp_path, content, needle):
    p = tmp_path / "bad.toml"
    p.write_text(content, encoding="utf-8")
    r = run_main("evaluate", p, "--json")
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "bad.toml" in lines[0]
    assert "Traceback" not in r.stderr


def test_missing_file_and_unknown_name(run_main, tmp_path):
    for arg in (tmp_path / "nope.toml", "no-such-scenario"):
        r = run_main("evaluate", arg, "--json")
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.slow
def test_report_prints_both_methods_and_writes_the_dashboard(run_cli, tmp_path):
    png = tmp_path / "dash.png"
    r = run_cli("report", "--png", png)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "After-sales report: seed-demo" in out
    for needle in ("seed", "corrected", "value-added net", "Verdict", "-142.8", "76.1", "Seasonal storage"):
        assert needle in out, needle
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_simulate_json(run_cli, tmp_path):
    r = run_cli("simulate", "seed-demo", "--draws", "20000", "--seed", "7", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) == {"scenario", "method", "draws", "seed", "p5", "p50", "p95", "mean",
                      "prob_value_added_beats_traditional", "prob_net_beats_traditional", "prob_break_even",
                      "va_net_p5", "va_net_p50", "va_net_p95", "prob_total_effect_positive", "verdict"}
    assert (d["scenario"], d["method"], d["draws"], d["seed"]) == ("seed-demo", "corrected", 20000, 7)
    assert d["p5"] <= d["p50"] <= d["p95"] and d["va_net_p5"] <= d["va_net_p50"] <= d["va_net_p95"]
    # with every range degenerate each draw is seed-demo itself: its value-added net is
    # -1,428,000 yuan (docs/model.md's worked example), so it never breaks even
    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    for kind in ("remake", "deep_clean", "repair", "storage"):
        text += f"\n[ranges.{kind}]\n" + "".join(f"{k} = [0.5, 0.5]\n" for k in
                                                ("acceptance", "wakeup_rate", "uses_per_user_per_year", "gross_margin"))
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(text + "\n[ranges.brand]\nwakeup_conversion = [0.6, 0.6]\n", encoding="utf-8")
    f = json.loads(run_cli("simulate", fixed, "--draws", "50", "--json").stdout)
    assert f["va_net_p5"] == f["va_net_p95"] == pytest.approx(-1_428_000)
    assert (f["prob_break_even"], f["verdict"], f["draws"], f["seed"]) == (0.0, "very unlikely", 50, 0)
    assert d == json.loads(run_cli("simulate", "seed-demo", "--draws", "20000", "--seed", "7", "--json").stdout)
    bad = run_cli("simulate", "seed-demo", "--draws", "0", "--json")
    assert bad.returncode == 2 and "--draws" in bad.stderr


# ------------------------------------------------------------------ what a user meets first
def _one_error_line(r, *needles):
    """The run failed with exit 2, printed nothing on stdout and one line on stderr holding every needle."""
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == "", r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def _png_software(path) -> str | None:
    """The PNG's "Software" text chunk, read with Pillow (not with the code under test)."""
    from PIL import Image

    with Image.open(path) as im:
        return im.text.get("Software")


@pytest.mark.slow
def test_report_never_overwrites_a_file_it_did_not_write(run_cli, tmp_path):
    precious = tmp_path / "precious.png"
    precious.write_bytes(b"my holiday photo")
    _one_error_line(run_cli("report", "--png", precious), "precious.png", "--force")
    assert precious.read_bytes() == b"my holiday photo"
    # a PNG that some other program made (matplotlib itself, untagged) is not the report's either
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure()
    other = tmp_path / "other.png"
    fig.savefig(other)
    plt.close(fig)
    before = other.read_bytes()
    _one_error_line(run_cli("report", "--png", other), "other.png", "--force")
    assert other.read_bytes() == before
    # --force overwrites, and the file then carries the report's tag
    r = run_cli("report", "--png", precious, "--force")
    assert r.returncode == 0, r.stderr
    assert precious.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _png_software(precious) == "aftersales report"


@pytest.mark.slow
def test_report_replaces_its_own_dashboard_on_a_rerun(run_cli, tmp_path):
    # the Makefile writes out/dashboard.png on every `make`; the default writes into the current folder
    for _ in range(2):
        r = run_cli("report", "--png", "out/dashboard.png", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert r.stderr == ""
        assert "Dashboard written to out/dashboard.png" in r.stdout
    assert _png_software(tmp_path / "out" / "dashboard.png") == "aftersales report"
    for _ in range(2):
        r = run_cli("report", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert _png_software(tmp_path / "after_sales_dashboard.png") == "aftersales report"
    own = tmp_path / "mine"
    own.mkdir()
    (own / "after_sales_dashboard.png").write_text("not a dashboard")
    _one_error_line(run_cli("report", cwd=own), "after_sales_dashboard.png", "--force")
    assert (own / "after_sales_dashboard.png").read_text() == "not a dashboard"


@pytest.mark.slow
def test_report_writes_svg_and_pdf_tagged_and_replaces_them(run_cli, tmp_path):
    for name, tag in (("d.svg", b"<dc:title>aftersales report</dc:title>"), ("d.pdf", b"/Creator (aftersales report)")):
        for _ in range(2):
            r = run_cli("report", "--png", tmp_path / name)
            assert r.returncode == 0, r.stderr
        assert tag in (tmp_path / name).read_bytes()


@pytest.mark.parametrize("name", ["dash.jpg", "dash", "dash.PNG.txt"])
def test_report_checks_the_extension_before_printing(run_main, tmp_path, name):
    _one_error_line(run_main("report", "--png", tmp_path / name), name, ".png, .svg or .pdf")
    assert not (tmp_path / name).exists()


def test_report_png_that_is_a_folder(run_cli, run_main, tmp_path):
    folder = tmp_path / "pics.png"
    folder.mkdir()
    r = run_cli("report", "--png", folder)
    _one_error_line(r, "pics.png is a folder")
    # what the in-process runs of the other tests see is what the user sees
    m = run_main("report", "--png", folder)
    assert (m.returncode, m.stdout, m.stderr) == (r.returncode, r.stdout, r.stderr)


def test_a_scenario_warning_is_one_line(run_cli, run_main, tmp_path):
    import re

    text, n = re.subn(r"^base_ltv = .*$", "base_ltv = 10000", (SCENARIO_DIR / "seed-demo.toml").read_text(
        encoding="utf-8"), flags=re.M)
    assert n == 1
    w = tmp_path / "w.toml"
    w.write_text(text, encoding="utf-8")
    r = run_cli("evaluate", w, "--json")
    assert r.returncode == 0, r.stderr
    json.loads(r.stdout)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"warning: {w}: [brand] base_ltv = 10,000.00")
    assert "more than twice the annual product margin" in lines[0]
    assert "ScenarioWarning" not in r.stderr and "scenario.py" not in r.stderr   # no library path, no source line
    m = run_main("evaluate", w, "--json")      # in this process the warning is the same one line
    assert (m.returncode, m.stdout, m.stderr) == (r.returncode, r.stdout, r.stderr)


def test_simulate_names_a_negative_seed(run_main):
    _one_error_line(run_main("simulate", "seed-demo", "--seed", "-1", "--json"), "--seed", "-1")


@pytest.mark.parametrize("command", ["evaluate", "simulate", "report"])
def test_a_folder_is_not_a_scenario_file(run_main, tmp_path, command):
    _one_error_line(run_main(command, tmp_path, *(["--json"] if command != "report" else [])),
                    f"{tmp_path} is a folder, not a scenario file")


@pytest.mark.slow
def test_evaluate_text_honours_the_method(run_cli):
    # docs/model.md: value-added net 760,960 yuan (seed) and -1,428,000 yuan (corrected): 76.1 and -142.8 wan
    seed = run_cli("evaluate", "seed-demo", "--method", "seed")
    corr = run_cli("evaluate", "seed-demo", "--method", "corrected")
    both = run_cli("evaluate", "seed-demo")
    assert seed.returncode == corr.returncode == both.returncode == 0, seed.stderr + corr.stderr + both.stderr

    def va_net(out):
        rows = [line for line in out.splitlines() if line.startswith("value-added net (wan)")]
        assert len(rows) == 1, out
        return rows[0].split("(wan)")[1].split()

    assert va_net(seed.stdout) == ["76.1"]
    assert va_net(corr.stdout) == ["-142.8"]
    assert va_net(both.stdout) == ["76.1", "-142.8"]          # without --method: both side by side
    assert "seed method" in seed.stdout and "corrected method" not in seed.stdout
    assert "corrected method" in corr.stdout and "seed method" not in corr.stdout
    assert json.loads(run_cli("evaluate", "seed-demo", "--json").stdout)["method"] == "corrected"


def test_the_cli_docstring_names_every_command():
    import aftersales.cli as cli

    commands = set(cli.build_parser()._subparsers._group_actions[0].choices)
    assert {"report", "evaluate", "simulate", "customers", "segment", "generate-cases", "homework", "app",
            "site"} <= commands
    for name in commands:
        assert name in cli.__doc__, name
