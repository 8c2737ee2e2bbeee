"""The streaming engine (segment --engine duckdb): the same numbers as in memory, chunk by chunk."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from aftersales.segment.analysis import segment
from aftersales.segment.generate import generate
from aftersales.segment.records import SET_ASIDE_COLUMNS, CASE_COLUMNS, load_cases, write_csv
from aftersales.segment.sql import connect, layer_sql, layers_duckdb, register_parquet, totals_sql
from aftersales.segment.stream import OutOfMemory, clean_to_parquet, segment_stream

pytest.importorskip("duckdb")

CHUNK = 97          # small, so that most duplicates have their first occurrence in an earlier chunk


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A messy file with every kind of broken row (duplicates among them), and a second file."""
    d = tmp_path_factory.mktemp("stream")
    cases, _ = generate("seed-demo", rows=2_400, seed=5, messy=0.05, broken=0.06)
    a, b = d / "cases.csv", d / "more.csv"
    write_csv(cases.iloc[:2_000], a)
    # the second file repeats ids of the first (duplicates across files) and has broken rows of its own
    more = cases.iloc[2_000:].copy()
    more.iloc[:25, more.columns.get_loc("case_id")] = cases["case_id"].iloc[:25].to_numpy()
    write_csv(more, b)
    return a, b


#: The keys of the segment contract both engines give. The in-memory engine adds more since
#: (rates, time, joins, strategy); the streaming engine does not compute those yet.
CONTRACT = ("rows_in", "rows_clean", "rows_set_aside", "set_aside_reasons", "total_cost", "total_net",
            "layers")


def _close(x, y, path="") -> None:
    """Equal JSON, floats to 1e-9 relative (sums in another order): at the top level the contract
    keys, below it every key of the smaller (streaming) object, in the same order and value."""
    if isinstance(x, float) or isinstance(y, float):
        assert y == pytest.approx(x, rel=1e-9, abs=1e-6), path
    elif isinstance(x, dict):
        if path == "":
            assert [k for k in x if k in CONTRACT] == [k for k in y if k in CONTRACT] == list(CONTRACT), path
            keys = list(CONTRACT)
        else:        # the smaller (streaming) object's keys, in order, all in the larger one
            small, big = (x, y) if len(x) <= len(y) else (y, x)
            keys = list(small)
            assert [k for k in big if k in small] == keys, path
        for k in keys:
            _close(x[k], y[k], f"{path}.{k}")
    elif isinstance(x, list):
        assert len(x) == len(y), path
        for i, (u, v) in enumerate(zip(x, y)):
            _close(u, v, f"{path}[{i}]")
    else:
        assert x == y, path


def test_duplicates_span_chunks_in_the_test_data(files):
    """The data must exercise what a per-chunk check misses: a repeat whose first is in an earlier chunk."""
    raw = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    ids = raw["case_id"].str.strip()
    first = ids.groupby(ids).transform(lambda s: s.index.min())
    later = (ids != "") & (first.to_numpy() != np.arange(len(ids)))
    crossing = later & (first.to_numpy() // CHUNK != np.arange(len(ids)) // CHUNK)
    assert later.sum() >= 10 and crossing.sum() >= 10


@pytest.mark.parametrize("by", ["category,reason", "channel", "case_type,reason,category", ""])
def test_same_json_as_in_memory(files, by):
    mem = segment(files[0], by=by)
    got = segment_stream(files[0], by=by, chunk_rows=CHUNK)
    _close(mem, got)
    assert got["set_aside_reasons"]["duplicate_case_id"] > 0


def test_several_files_and_customer_tiers(files, tmp_path):
    cases, orders = generate("seed-demo", rows=1_500, seed=8, broken=0.04)
    c, o = tmp_path / "c.csv", tmp_path / "o.csv"
    write_csv(cases, c)
    write_csv(orders, o)
    segment(c, by="customer_tier,reason", orders_path=o)          # the in-memory engine layers by tier
    with pytest.raises(ValueError, match="customer_tier is not supported with --engine duckdb yet"):
        segment_stream(c, by="customer_tier,reason", orders_path=o, chunk_rows=200)
    _close(segment(c, by="reason", orders_path=o), segment_stream(c, by="reason", orders_path=o, chunk_rows=200))
    _close(segment(list(files)), segment_stream(list(files), chunk_rows=CHUNK))


def test_chunk_size_changes_nothing(files):
    """Exact sums (DECIMAL) make the result identical, to the last bit, whatever the chunking."""
    a = segment_stream(files[0], chunk_rows=CHUNK)
    assert segment_stream(files[0], chunk_rows=10_000) == a
    assert segment_stream(files[0], chunk_rows=1_000) == a


def test_set_aside_rows_carry_source_file_and_row(files, tmp_path):
    mem = load_cases(list(files))
    res = clean_to_parquet(list(files), tmp_path, chunk_rows=CHUNK)
    got = pq.read_table(res.set_aside_path).to_pandas()
    assert res.rows_in == mem.rows_in == res.rows_clean + res.rows_set_aside
    assert list(got.columns) == list(CASE_COLUMNS) + list(SET_ASIDE_COLUMNS)
    want = mem.set_aside.astype({c: str for c in CASE_COLUMNS + SET_ASIDE_COLUMNS[:3]})
    assert got["source_row"].tolist() == want["source_row"].tolist()
    for c in ("case_id", "set_aside_reason", "set_aside_detail", "source_file", "handling_cost", "reason"):
        assert got[c].tolist() == want[c].tolist(), c
    # the row numbers are those of the source file (header = row 1), not of a chunk
    raw = pd.read_csv(files[1], dtype=str, keep_default_na=False)
    for _, r in got[got["source_file"] == files[1].name].head(40).iterrows():
        assert raw.iloc[r["source_row"] - 2]["case_id"].strip() == r["case_id"]
    assert got.loc[got["source_file"] == files[1].name, "source_row"].max() > CHUNK
    clean = pq.read_table(res.clean_path).to_pandas()
    assert len(clean) == mem.rows_clean
    assert clean["case_id"].tolist() == mem.clean["case_id"].astype(str).tolist()
    assert clean["cost"].to_numpy() == pytest.approx(mem.clean["cost"].to_numpy())


def test_the_sql_is_portable(files, tmp_path):
    """The layering SQL gives DuckDB's answer on another engine (SQLite) from the same rows."""
    res = clean_to_parquet(files[0], tmp_path, chunk_rows=500)
    clean = pq.read_table(res.clean_path).to_pandas()
    con = sqlite3.connect(":memory:")
    clean[["category", "reason", "channel", "cost", "net"]].to_sql("clean_cases", con, index=False)
    for by in ("category,reason", "channel", ""):
        lite = pd.read_sql_query(layer_sql(by, "clean_cases"), con)
        duck = layers_duckdb(res.clean_path, by)
        assert list(lite.columns) == list(duck.columns)
        pd.testing.assert_frame_equal(lite, duck, check_dtype=False, rtol=1e-12)
    n, cost, _ = con.execute(totals_sql("clean_cases")).fetchone()
    assert n == len(clean) and cost == pytest.approx(clean["cost"].sum())


def test_bad_files_name_file_row_and_column(files, tmp_path):
    lines = files[0].read_text(encoding="utf-8").splitlines()
    extra = tmp_path / "extra.csv"
    extra.write_text("\n".join(lines[:300] + [lines[300] + ",surplus"] + lines[301:320]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra\.csv, row 301: expected 16 columns, got 17"):
        segment_stream(extra, chunk_rows=50)
    latin = tmp_path / "latin.csv"
    body = "\n".join(lines[:150]).encode() + b"\n" + lines[150].replace(",", ",\xe9t\xe9", 1).encode("latin-1") \
        + b"\n" + "\n".join(lines[151:200]).encode() + b"\n"
    latin.write_bytes(body)
    with pytest.raises(ValueError, match=r"latin\.csv, row 151, column order_id: not UTF-8 text"):
        segment_stream(latin, chunk_rows=50)
    short = tmp_path / "short.csv"
    short.write_text("case_id,order_id\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short\.csv: missing column\(s\) customer_id"):
        segment_stream(short)


def test_out_of_memory_is_one_line(files):
    with pytest.raises(OutOfMemory, match=r"^out of memory in DuckDB while .*--memory-limit") as exc:
        segment_stream(files[0], memory_limit="1KB")
    assert "\n" not in str(exc.value)


def test_cli_as_a_user_runs_it(files, tmp_path, run_cli):
    mem = run_cli("segment", files[0], "--json", "--by", "category,channel")
    got = run_cli("segment", files[0], "--json", "--by", "category,channel", "--engine", "duckdb",
                  "--chunk-rows", CHUNK, "--work", tmp_path / "work", "--out", tmp_path / "out")
    assert mem.returncode == 0 and got.returncode == 0, got.stderr
    _close(json.loads(mem.stdout), json.loads(got.stdout))
    assert (tmp_path / "work" / "clean.parquet").is_file()
    sa = pd.read_csv(tmp_path / "out" / "cases_set_aside.csv", dtype=str, keep_default_na=False)
    assert len(sa) == json.loads(got.stdout)["rows_set_aside"]
    assert sa["source_file"].eq(files[0].name).all() and sa["source_row"].astype(int).is_monotonic_increasing
    clean = pd.read_csv(tmp_path / "out" / "cases_clean.csv", dtype=str)
    assert list(clean.columns) == list(CASE_COLUMNS) and clean["opened_at"].str.len().eq(10).all()
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,order_id\nA,B\n", encoding="utf-8")
    for args in ((bad,), (files[0], "--memory-limit", "1KB")):
        out = run_cli("segment", *args, "--engine", "duckdb", "--json")
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.startswith("error: ") and out.stderr.count("\n") == 1, out.stderr
        assert "Traceback" not in out.stderr


def test_connect_refuses_a_bad_memory_limit():
    with pytest.raises(ValueError, match="memory limit 'lots'"):
        connect("lots")
    con = connect("200MB")
    try:
        register_parquet(con, "t", "no-such-*.parquet")
    except Exception as exc:  # DuckDB checks the glob at once or when queried
        assert "no-such" in str(exc)
    finally:
        con.close()


def test_frugal_allocator_is_set_before_arrow_is_used():
    import subprocess
    import sys

    code = ("from aftersales.segment.stream import frugal_allocator as f; a = f(); import pyarrow as pa; "
            "print(a, pa.default_memory_pool().backend_name, f())")
    env = {k: v for k, v in __import__("os").environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["True", "system", "False"]
