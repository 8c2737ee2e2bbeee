"""Reading a case file in chunks of a fixed number of rows, for the streaming engine.

:func:`plan_columns` maps the header through the alias table (as
:func:`aftersales.segment.records.read_cases` does); :func:`read_chunks` yields the rows as text
tables of exactly ``chunk_rows`` rows. A malformed line or text that is not UTF-8 raises
ValueError naming the file, the row (the header is row 1) and, for text, the column.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from aftersales.segment.records import CASE_COLUMNS, Aliases, _key

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["plan_columns", "read_chunks"]

_BLOCK = 1 << 24          # bytes the CSV reader parses at a time


def plan_columns(p: Path, aliases: Aliases) -> tuple[list[str], str]:
    """Column names for every header of the file (canonical, or ``_ignored_i``) and the layout."""
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such case file")
    with open(p, "rb") as fh:
        first = fh.readline()
    if not first.strip():
        raise ValueError(f"{p}: the file is empty (expected a header line)")
    try:
        header = next(csv.reader([first.decode("utf-8-sig")]))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}, row 1: the header is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    cmap = aliases.column_map()
    names, layout, unknown = [], "canonical", []
    for i, col in enumerate(header):
        canon = cmap.get(_key(col))
        if canon is None or canon in names:
            if canon is not None:
                first = header[names.index(canon)]
                raise ValueError(f"{p}: columns {first!r} and {col!r} both mean {canon}")
            unknown.append(col)
            names.append(f"_ignored_{i}")
            continue
        names.append(canon)
        if col != canon and canon in CASE_COLUMNS:
            layout = "export"
    missing = [c for c in CASE_COLUMNS if c not in names]
    if missing:
        raise ValueError(f"{p}: missing column(s) {', '.join(missing)}"
                         + (f" (unrecognised headers: {', '.join(map(str, unknown))};"
                            " add them to the alias table)" if unknown else ""))
    return names, layout


def read_chunks(p: Path, names: list[str], columns: Sequence[str], chunk_rows: int) -> Iterator["pa.Table"]:
    """The file's rows in tables of exactly chunk_rows rows (the last may be shorter), text columns.

    A malformed line or text that is not UTF-8 raises ValueError naming the file, the row (the
    header is row 1) and, for text, the column.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list = []

    def invalid(row) -> str:
        bad.append(row)
        return "error"

    reader_opts = dict(
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.binary() for c in names},
                                             include_columns=list(columns), strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))
    offset = 0          # rows handed out so far (data rows; the file's row is offset + 2)
    pending: list = []
    held = 0

    def text(batch) -> "pa.Table":
        cols = {}
        for c in columns:
            arr = batch.column(c)
            try:
                cols[c] = arr.cast(pa.string())
            except (pa.ArrowInvalid, UnicodeDecodeError):
                for i, v in enumerate(arr.to_pylist()):
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        raise ValueError(f"{p}, row {offset + held + i + 2}, column {c}: not UTF-8 text "
                                         f"({exc.reason} at byte {exc.start})") from None
                raise  # pragma: no cover - a cast that fails on valid UTF-8
        return pa.table(cols)

    try:
        reader = pacsv.open_csv(p, **reader_opts)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            pending.append(text(batch))
            held += batch.num_rows
            while held >= chunk_rows:
                table = pa.concat_tables(pending)
                out, rest = table.slice(0, chunk_rows), table.slice(chunk_rows)
                yield out.combine_chunks()
                offset += chunk_rows
                pending, held = ([rest] if rest.num_rows else []), rest.num_rows
                del table, out, rest
        if held:
            yield pa.concat_tables(pending).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        if bad:
            row = bad[0]
            where = f"row {row.number}" if row.number is not None else f"after row {offset + held + 1}"
            raise ValueError(f"{p}, {where}: expected {row.expected_columns} columns, got "
                             f"{row.actual_columns}: {row.text[:60]!r}") from None
        raise ValueError(f"{p}: not a well-formed CSV after row {offset + held + 1}: "
                         f"{str(exc).strip().splitlines()[0]}") from None
