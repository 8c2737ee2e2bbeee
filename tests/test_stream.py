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
#: end to end, chunk by chunk, against the in-memory engine: part of `make test`, not of `make check`
pytestmark = pytest.mark.slow

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


#: Keys of the JSON that describe the engine rather than the data, and may differ between engines:
#: none (both engines give every key of the in-memory engine, with the same values).
ENGINE_KEYS: tuple = ()
#: Money agrees to the fen: the streaming engine sums exactly (DECIMAL), the in-memory one in floats.
FEN = 0.005


def _close(x, y, path="") -> None:
    """Equal JSON: the same keys in the same order, counts and text exactly, floats to 1e-9
    relative or the fen (sums in another order)."""
    if isinstance(x, float) or isinstance(y, float):
        assert x is not None and y is not None, path
        assert y == pytest.approx(x, rel=1e-9, abs=FEN), path
    elif isinstance(x, dict):
        kx = [k for k in x if not (path == "" and k in ENGINE_KEYS)]
        ky = [k for k in y if not (path == "" and k in ENGINE_KEYS)]
        assert kx == ky, path
        for k in kx:
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
    _close(segment(c, by="customer_tier,reason", orders_path=o),
           segment_stream(c, by="customer_tier,reason", orders_path=o, chunk_rows=200))
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
    got = pq.read_table(res.set_aside_path).to_pandas().sort_values("row_seq").drop(columns="row_seq")
    got = got.reset_index(drop=True)
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
    clean = pq.read_table(res.clean_path).to_pandas().sort_values("row_seq")
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
        segment_stream(latin, chunk_rows=50, encoding="utf-8")
    # not UTF-8, so read as GB18030 (as in memory), which it is not either: the first row that is not
    with pytest.raises(ValueError, match=r"latin\.csv, row \d+, column \w+: not GB18030 text"):
        segment_stream(latin, chunk_rows=50)
    short = tmp_path / "short.csv"
    short.write_text("case_id,order_id\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short\.csv: missing column\(s\) opened_at, case_type"):
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


# ------------------------------------------------------------------------------ parity, every option
@pytest.fixture(scope="module")
def shop(root):
    d = root / "aftersales" / "data" / "shop"
    return {"cases": [d / "tmall_cases.csv", d / "jd_cases.xlsx", d / "douyin_cases.csv"],
            "orders": d / "shop_orders.csv", "repairs": d / "repair_records.csv"}


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """A generated messy file in the export layout, GBK, with a case-id header only our own alias
    table knows, its orders, and a feedback file."""
    from aftersales.segment.generate import to_export

    d = tmp_path_factory.mktemp("messy")
    cases, orders = generate("seed-demo", rows=1_800, seed=11, messy=0.08)
    export = to_export(cases, seed=11).astype(str)
    again = export.sample(25, random_state=1)                       # exported twice
    changed = export.sample(25, random_state=2)                     # the same case_id, another cost
    changed["处理费用"] = "¥1.00"
    export = pd.concat([export, again, changed], ignore_index=True)
    for col, bad in (("处理费用", "abc"), ("申请日期", "2024/02/30"), ("原因", ""), ("满意度", "9"), ("售后单号", "")):
        export.loc[export.sample(15, random_state=len(bad)).index, col] = bad
    export = export.rename(columns={"售后单号": "工单编码"})
    (d / "cases_gbk.csv").write_bytes(export.to_csv(index=False).encode("gb18030"))
    (d / "mine.csv").write_text("field,label,canonical\ncolumn,工单编码,case_id\nreason,掉色,color_difference\n",
                                encoding="utf-8")
    (d / "orders.csv").write_bytes(orders.to_csv(index=False).encode("gb18030"))   # --encoding gbk: every file
    ids = cases["case_id"].astype(str).to_numpy()
    fb = pd.DataFrame({"评价编号": [f"F{i}" for i in range(60)],
                       "售后单号": list(ids[:40]) + [""] * 10 + ["NOPE"] * 10,
                       "订单编号": [""] * 40 + list(cases["order_id"].astype(str).to_numpy()[100:110]) + [""] * 10,
                       "评分": ["1", "5", "3", "x"] * 15})
    (d / "feedback.csv").write_bytes(fb.to_csv(index=False).encode("gb18030"))
    return d


OPTIONS = [  # (source, options)
    ("shop", dict(by="month", orders=True, repairs=True, strategy=True)),
    ("shop", dict(by="customer_tier,reason", orders=True, repairs=True)),
    ("shop", dict(by="week,channel", orders=True)),
    ("shop", dict(by="quarter,case_type", repairs=True, strategy=True)),
    ("shop", dict(by="")),
    ("messy", dict(by="category,reason", aliases=True, orders=True, feedback=True, strategy=True)),
    ("messy", dict(by="customer_tier,month", aliases=True, encoding="gbk", orders=True)),
    ("messy", dict(by="channel,week", aliases=True, feedback=True)),
]


def _kwargs(src, opts, shop, messy):
    kw = {"by": opts["by"], "strategy": opts.get("strategy", False)}
    if src == "shop":
        files = shop["cases"]
        kw["orders_path"] = shop["orders"] if opts.get("orders") else None
        kw["repairs"] = shop["repairs"] if opts.get("repairs") else None
    else:
        files = [messy / "cases_gbk.csv"]
        kw["orders_path"] = messy / "orders.csv" if opts.get("orders") else None
        kw["feedback"] = messy / "feedback.csv" if opts.get("feedback") else None
        kw["aliases_path"] = messy / "mine.csv" if opts.get("aliases") else None
        kw["encoding"] = opts.get("encoding")
    return files, kw


#: --out files written byte for byte the same; the layer and strategy tables agree as numbers
#: (their sums are exact in one engine, floating-point in the other)
SAME_BYTES = ("cases_clean.csv", "cases_set_aside.csv", "fields_set_aside.csv", "unmatched.csv",
              "orders_set_aside.csv")


@pytest.mark.parametrize("src,opts", OPTIONS, ids=[f"{s}-{o['by'] or 'all'}-{len(o)}" for s, o in OPTIONS])
def test_duckdb_gives_the_json_and_files_of_the_default_engine(src, opts, shop, messy, tmp_path):
    from aftersales.segment.pipeline import OUTPUT_FILES

    files, kw = _kwargs(src, opts, shop, messy)
    mem = segment(files, out_dir=tmp_path / "mem", **kw)
    got = segment_stream(files, chunk_rows=41, out_dir=tmp_path / "duck", **kw)
    _close(mem, got)
    if src == "messy":
        assert mem["set_aside_reasons"]["duplicate_case_id"] > 0 and mem["unattributed"]
        assert mem["files"][0]["encoding"] == "gb18030"
    written = sorted(p.name for p in (tmp_path / "mem").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "duck").iterdir())
    assert set(written) <= set(OUTPUT_FILES)
    for name in written:
        a, b = (tmp_path / "mem" / name).read_bytes(), (tmp_path / "duck" / name).read_bytes()
        assert b.startswith(b"\xef\xbb\xbf"), name
        if name in SAME_BYTES:
            assert a == b, name
        else:
            x = pd.read_csv(tmp_path / "mem" / name, encoding="utf-8-sig")
            y = pd.read_csv(tmp_path / "duck" / name, encoding="utf-8-sig")
            pd.testing.assert_frame_equal(x, y, rtol=1e-9, atol=FEN)


def test_cli_duckdb_takes_every_option(shop, messy, tmp_path, run_cli):
    args = [*shop["cases"], "--orders", shop["orders"], "--repairs", shop["repairs"], "--by", "customer_tier,month",
            "--strategy", "--json"]
    mem = run_cli("segment", *args)
    got = run_cli("segment", *args, "--engine", "duckdb", "--chunk-rows", 13, "--out", tmp_path / "o")
    assert mem.returncode == 0 and got.returncode == 0, got.stderr
    _close(json.loads(mem.stdout), json.loads(got.stdout))
    args = [messy / "cases_gbk.csv", "--aliases", messy / "mine.csv", "--encoding", "gbk",
            "--feedback", messy / "feedback.csv", "--json"]
    mem, got = run_cli("segment", *args), run_cli("segment", *args, "--engine", "duckdb")
    assert got.returncode == 0, got.stderr
    _close(json.loads(mem.stdout), json.loads(got.stdout))


# ------------------------------------------------------------------------------ duplicates, any row order
def test_conflicting_duplicates_give_the_same_result_in_any_row_order(tmp_path):
    """Exact and conflicting duplicates (same case_id, other content), the rows shuffled: the same
    JSON and the same files, in both engines, and the engines agree."""
    cases, _ = generate("seed-demo", rows=900, seed=3, broken=0.02)
    rng = np.random.default_rng(0)
    conflicting = cases.sample(40, random_state=1).copy()         # the same ids, other amounts
    conflicting["handling_cost"] = pd.to_numeric(conflicting["handling_cost"], errors="coerce").fillna(0) + 7.5
    exact = cases.sample(30, random_state=2)                       # rows exported twice
    data = pd.concat([cases, conflicting, exact], ignore_index=True)
    results = []
    for k in range(3):
        d = tmp_path / f"run{k}"
        d.mkdir()
        shuffled = data if k == 0 else data.iloc[rng.permutation(len(data))]
        write_csv(shuffled, d / "cases.csv")
        mem = segment(d / "cases.csv", by="category,reason", out_dir=d / "mem")
        duck = segment_stream(d / "cases.csv", by="category,reason", out_dir=d / "duck", chunk_rows=97)
        _close(mem, duck)
        results.append((d, mem, duck))
    d0, mem0, duck0 = results[0]
    assert mem0["set_aside_reasons"]["duplicate_case_id"] >= 70
    sa = pd.read_csv(d0 / "mem" / "cases_set_aside.csv", dtype=str, keep_default_na=False)
    assert sa["set_aside_detail"].str.contains("different content").sum() >= 30
    for d, mem, duck in results[1:]:
        assert duck == duck0                              # exact sums: identical to the last digit
        _close(mem0, mem)                                 # floating-point sums in another order
        for eng in ("mem", "duck"):
            for name in ("cases_clean.csv", "cases_set_aside.csv", "fields_set_aside.csv"):
                a = pd.read_csv(d0 / eng / name, dtype=str, keep_default_na=False)
                b = pd.read_csv(d / eng / name, dtype=str, keep_default_na=False)
                a, b = (f.drop(columns=[c for c in ("source_row",) if c in f.columns]) for f in (a, b))
                key = list(a.columns)
                pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True),
                                              b.sort_values(key).reset_index(drop=True), obj=f"{eng}/{name}")


def test_exact_duplicates_are_caught_across_chunks_and_files(tmp_path):
    cases, _ = generate("seed-demo", rows=500, seed=4)
    write_csv(cases, tmp_path / "a.csv")
    write_csv(cases.iloc[::-1], tmp_path / "b.csv")                # every row again, in reverse order
    got = segment_stream([tmp_path / "a.csv", tmp_path / "b.csv"], chunk_rows=37)
    assert got["set_aside_reasons"] == {"duplicate_case_id": 500}
    _close(segment([tmp_path / "a.csv", tmp_path / "b.csv"]), got)
