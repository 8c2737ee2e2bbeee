"""``segment`` as a user runs it: --top, --out checks only the files a request writes, folders and
files given in the wrong place are one error line. ``run_cli`` starts ``python -m aftersales``;
``run_main`` calls the same ``main`` in this process (tests/conftest.py)."""
from __future__ import annotations

import json

import pytest

CASES = "data/cases_sample.csv"
ORDERS = "data/cases_sample_orders.csv"
#: The files ``segment --out`` writes without --orders and --strategy (docs/segmentation.md).
BASE_FILES = ["cases_clean.csv", "cases_set_aside.csv", "fields_set_aside.csv", "layers.csv", "unmatched.csv"]


def _one_error_line(r, *needles):
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize("top", ["0", "-1"])
def test_top_below_one_is_refused(run_main, top):
    _one_error_line(run_main("segment", CASES, "--top", top), "--top must be at least 1", f"got {top}")


@pytest.mark.slow
def test_top_shows_that_many_layers_and_counts_the_rest(run_cli):
    layers = json.loads(run_cli("segment", CASES, "--json").stdout)["layers"]
    assert len(layers) > 2
    r = run_cli("segment", CASES, "--top", "2")
    assert r.returncode == 0, r.stderr
    text = r.stdout.split("category x reason\n", 1)[1].splitlines()
    shown = [line for line in text if line.startswith("  ") and not line.startswith("  ...")]
    assert len(shown) == 2
    assert f"  ... {len(layers) - 2} more layers" in r.stdout
    r = run_cli("segment", CASES, "--top", str(len(layers) + 5))
    assert r.returncode == 0 and "more layers" not in r.stdout


@pytest.mark.slow
def test_out_checks_only_the_files_this_request_writes(run_cli, tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    mine = {"strategy.csv": "my own strategy notes\n", "orders_set_aside.csv": "kept\n"}
    for name, text in mine.items():
        (d / name).write_text(text, encoding="utf-8")
    r = run_cli("segment", CASES, "--out", d)
    assert r.returncode == 0, r.stderr
    assert f"written to {d}: {', '.join(BASE_FILES)} (UTF-8 with BOM" in r.stdout
    for name, text in mine.items():                               # not touched
        assert (d / name).read_text(encoding="utf-8") == text
    assert all((d / name).is_file() for name in BASE_FILES)
    # a request that would write strategy.csv still refuses to overwrite it
    e = tmp_path / "with_strategy"
    e.mkdir()
    (e / "strategy.csv").write_text("mine\n", encoding="utf-8")
    _one_error_line(run_cli("segment", CASES, "--out", e, "--strategy"), "strategy.csv exists", "--force")
    assert (e / "strategy.csv").read_text(encoding="utf-8") == "mine\n"
    f = tmp_path / "with_orders"
    f.mkdir()
    (f / "orders_set_aside.csv").write_text("mine\n", encoding="utf-8")
    _one_error_line(run_cli("segment", CASES, "--orders", ORDERS, "--out", f), "orders_set_aside.csv exists")
    r = run_cli("segment", CASES, "--orders", ORDERS, "--out", f, "--strategy", "--force")
    assert r.returncode == 0, r.stderr
    assert f"written to {f}: {', '.join(BASE_FILES + ['orders_set_aside.csv', 'strategy.csv'])}" in r.stdout


def test_out_that_is_a_file(run_cli, tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("x\n", encoding="utf-8")
    _one_error_line(run_cli("segment", CASES, "--out", small), f"--out {small} is a file",
                    "--out must be a folder")
    assert small.read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("flag,what", [(None, "a case file"), ("--orders", "an orders file"),
                                       ("--repairs", "a repair-records file"), ("--feedback", "a feedback file"),
                                       ("--aliases", "an alias table")])
def test_a_folder_given_as_a_file(run_main, tmp_path, flag, what):
    args = [tmp_path] if flag is None else [CASES, flag, tmp_path]
    _one_error_line(run_main("segment", *args), f"{tmp_path} is a folder, not {what}")


@pytest.mark.slow
def test_the_duckdb_engine_also_checks_only_the_files_it_writes(run_cli, tmp_path):
    pytest.importorskip("duckdb")
    d = tmp_path / "out"
    d.mkdir()
    (d / "strategy.csv").write_text("my own strategy notes\n", encoding="utf-8")
    r = run_cli("segment", CASES, "--out", d, "--engine", "duckdb")
    assert r.returncode == 0, r.stderr
    assert (d / "strategy.csv").read_text(encoding="utf-8") == "my own strategy notes\n"
    e = tmp_path / "with_strategy"
    e.mkdir()
    (e / "strategy.csv").write_text("mine\n", encoding="utf-8")
    _one_error_line(run_cli("segment", CASES, "--out", e, "--engine", "duckdb", "--strategy"),
                    "strategy.csv exists", "--force")
    assert (e / "strategy.csv").read_text(encoding="utf-8") == "mine\n"
