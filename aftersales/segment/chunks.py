"""Reading a source in chunks of a fixed number of rows, for the streaming engine.

:func:`plan_source` reads the header only: it maps it through the alias table and detects the
encoding exactly as :func:`aftersales.segment.readers.read_source` does (same ``files`` entry
of the JSON); :func:`read_chunks` then yields the rows as text tables of exactly ``chunk_rows``
rows, the columns absent from the file as empty text. CSV in UTF-8 (with or without BOM),
GB18030/GBK (or any encoding given) and ``.xlsx`` (read as a stream, openpyxl's read-only mode)
are read. A malformed line or text not in the file's encoding raises ValueError naming the
file, the row (the header is row 1) and, for text, the column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from aftersales.segment.readers import XLSX_SUFFIXES, csv_header, detect_encoding, map_header, xlsx_rows
from aftersales.segment.schema import CASE_COLUMNS, REQUIRED_COLUMNS, label_key

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from aftersales.segment.aliases import Aliases

__all__ = ["Plan", "NotInEncoding", "plan_source", "read_chunks", "plan_columns"]

_BLOCK = 1 << 24          # bytes the CSV reader parses at a time


class NotInEncoding(ValueError):
    r"""Text of a CSV not in the encoding it was read with (the message names file, row, column).

    A :class:`ValueError`, so callers that catch bad input catch it too.

    Parameters
    ----------
    message : str
        The one-line error: ``"<file>, row <n>, column <c>: not <encoding> text (...)"`` (the
        header is row 1).

    Examples
    --------
    A GBK line far into a file read as UTF-8 (the header itself reads fine):

    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "cases.csv"
    ...     _ = f.write_bytes(("case_id,opened_at,case_type\n" + "AS1,2024-03-01,return\n" * 500
    ...                        + "AS2,2024-03-02,退货\n").encode("gbk"))
    ...     plan = plan_source(f, load_aliases(), encoding="utf-8")
    ...     try:
    ...         chunks = list(read_chunks(plan, CASE_COLUMNS, 100))
    ...     except NotInEncoding as e:
    ...         print(str(e).replace(str(f), "cases.csv"))
    cases.csv, row 502, column case_type: not UTF-8 text (invalid continuation byte at byte 0)
    """


@dataclass
class Plan:
    r"""How to read one source: its path, the canonical name of every header, the encoding.

    Made by :func:`plan_source` from the file's header; :func:`read_chunks` reads by it.

    Parameters
    ----------
    path : pathlib.Path
        The source file.
    names : list of str
        Per header of the file, in order, its canonical column (through the alias table), or
        ``_ignored_<i>`` for a header that is not one of ``columns``.
    encoding : str
        ``"utf-8-sig"``, ``"gb18030"``, another codec's name, or ``"xlsx"`` for a workbook.
    info : dict
        The ``files`` entry of the JSON: file (name), encoding, format (``"csv"`` or
        ``"xlsx"``), alias_used (a header needed the alias table), absent (the columns the file
        lacks, read as empty text).
    given : bool, optional
        True when the encoding was given rather than detected (no fallback to GB18030).
    columns : tuple of str, optional
        The canonical columns of the source (default CASE_COLUMNS).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "cases.csv"
    ...     _ = f.write_text("售后单号,申请日期,售后类型,备注\nAS1,2024-03-01,退货,x\n", encoding="gbk")
    ...     plan = plan_source(f, load_aliases())
    >>> plan.names, plan.encoding, plan.xlsx, plan.given
    (['case_id', 'opened_at', 'case_type', '_ignored_3'], 'gb18030', False, False)
    >>> plan.info["alias_used"], plan.info["absent"][:3]
    (True, ['order_id', 'customer_id', 'channel'])
    """

    path: Path
    names: list[str]
    encoding: str
    info: dict
    given: bool = False                 # the encoding was given (no fallback to GB18030)
    columns: tuple = field(default=CASE_COLUMNS)

    @property
    def xlsx(self) -> bool:
        return self.info["format"] == "xlsx"


def plan_source(p: Path, aliases: "Aliases", encoding: str | None = None, columns: Sequence[str] = CASE_COLUMNS,
                required: Sequence[str] = REQUIRED_COLUMNS, what: str = "case file") -> Plan:
    r"""The :class:`Plan` of a source from its header.

    Reads the header only, maps it through the alias table and detects the encoding exactly as
    :func:`~aftersales.segment.readers.read_source` does.

    Parameters
    ----------
    p : pathlib.Path or str
        The source: CSV or .xlsx (first sheet, header in row 1).
    aliases : Aliases
        The alias table for the headers.
    encoding : str, optional
        The text encoding of a CSV; detected when None (a byte-order mark, else valid UTF-8,
        else GB18030). GBK and GB2312 are read as GB18030.
    columns : sequence of str, optional
        The canonical columns of the source (default CASE_COLUMNS).
    required : sequence of str, optional
        The columns the source must have (default REQUIRED_COLUMNS of a case file).
    what : str, optional
        What the source is, for messages (default ``"case file"``).

    Returns
    -------
    Plan

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is empty, the header is not text in the encoding, a required column is
        missing (the message names the file and the columns), or the encoding is unknown.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "cases.csv"
    ...     _ = f.write_text("case_id,channel\nAS1,tmall\n", encoding="utf-8")
    ...     try:
    ...         plan_source(f, load_aliases())
    ...     except ValueError as e:
    ...         print(str(e).replace(str(f), "cases.csv"))
    cases.csv: missing column(s) opened_at, case_type
    """
    p = Path(p)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such {what}")
    cmap = aliases.column_map()
    for c in columns:
        cmap.setdefault(label_key(c), c)
    if p.suffix.lower() in XLSX_SUFFIXES:
        header = next(iter(xlsx_rows(p)), None)
        if header is None:
            raise ValueError(f"{p}: the workbook's first sheet is empty (expected a header row)")
        enc = fmt = "xlsx"
    else:
        enc, fmt = detect_encoding(p, encoding), "csv"
        header = csv_header(p, enc)
    pos, used, absent = map_header(p, header, cmap, tuple(columns), required)
    names = [pos.get(i, f"_ignored_{i}") for i in range(len(header))]
    info = {"file": p.name, "encoding": enc, "format": fmt, "alias_used": used,
            "absent": [c for c in absent if c in columns]}
    return Plan(p, names, enc, info, bool(encoding), tuple(columns))


def plan_columns(p: Path, aliases: "Aliases") -> tuple[list[str], str]:
    r"""Column names for every header of the file and the layout (kept from version 0.3).

    Parameters
    ----------
    p : pathlib.Path or str
        A case file (CSV or .xlsx).
    aliases : Aliases
        The alias table for the headers.

    Returns
    -------
    names : list of str
        As :attr:`Plan.names` (see :func:`plan_source`).
    layout : {"export", "canonical"}
        ``"export"`` when a header needed the alias table.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "cases.csv"
    ...     _ = f.write_text("case_id,opened_at,case_type\nAS1,2024-03-01,return\n", encoding="utf-8")
    ...     plan_columns(f, load_aliases())
    (['case_id', 'opened_at', 'case_type'], 'canonical')
    """
    plan = plan_source(p, aliases)
    return plan.names, "export" if plan.info["alias_used"] else "canonical"


def read_chunks(plan: Plan, columns: Sequence[str], chunk_rows: int) -> Iterator["pa.Table"]:
    r"""The source's rows in text tables of exactly ``chunk_rows`` rows (the last may be shorter).

    Parameters
    ----------
    plan : Plan
        The source (from :func:`plan_source`).
    columns : sequence of str
        The columns of each table, in order; those the file does not have come as empty text.
    chunk_rows : int
        Rows per table.

    Yields
    ------
    pyarrow.Table
        Text (trimmed for .xlsx) with ``columns``. The rows keep the file's order: the first row
        of the k-th table (from 0) is row k x chunk_rows + 2 of the file (the header is row 1).
        Empty rows at the end of a workbook are dropped.

    Raises
    ------
    NotInEncoding
        For text not in the file's encoding (naming the file, the row and the column).
    ValueError
        For a malformed line (naming the file and the row).

    Examples
    --------
    Five cases in chunks of two:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "cases.csv"
    ...     _ = f.write_text("售后单号,申请日期,售后类型\n"
    ...                      + "".join(f"AS{i},2024-03-0{i},退货\n" for i in range(1, 6)), encoding="gbk")
    ...     chunks = list(read_chunks(plan_source(f, load_aliases()), CASE_COLUMNS, 2))
    >>> [c.num_rows for c in chunks]
    [2, 2, 1]
    >>> chunks[2]["case_id"].to_pylist(), chunks[2]["case_type"].to_pylist(), chunks[2]["channel"].to_pylist()
    (['AS5'], ['退货'], [''])
    """
    if plan.xlsx:
        yield from _xlsx_chunks(plan, columns, chunk_rows)
    else:
        yield from _csv_chunks(plan, columns, chunk_rows)


def _with_absent(table, columns, n):
    import pyarrow as pa

    return pa.table({c: table[c] if c in table.column_names else pa.array([""] * n, pa.string())
                     for c in columns})


def _xlsx_chunks(plan: Plan, columns, chunk_rows):
    import pyarrow as pa

    pos = {i: c for i, c in enumerate(plan.names) if c in columns}
    width = len(plan.names)
    rows, empties = [], []

    def table(batch):
        data = {c: pa.array([(r[i] if i < len(r) else "").strip() for r in batch], pa.string())
                for i, c in pos.items()}
        return _with_absent(pa.table(data) if data else pa.table({}), columns, len(batch))

    it = xlsx_rows(plan.path)
    next(it, None)                                    # the header
    for r in it:
        if len(r) < width:
            r = r + [""] * (width - len(r))
        if not any(c.strip() for c in r):
            empties.append(r)                          # kept only if a row with content follows
            continue
        rows.extend(empties)
        empties = []
        rows.append(r)
        while len(rows) >= chunk_rows:
            yield table(rows[:chunk_rows])
            rows = rows[chunk_rows:]
    if rows:
        yield table(rows)


def _csv_chunks(plan: Plan, columns, chunk_rows):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    p, names = plan.path, plan.names
    utf8 = plan.encoding == "utf-8-sig"
    present = [c for c in columns if c in names]
    bad: list = []

    def invalid(row) -> str:
        bad.append(row)
        return "error"

    reader_opts = dict(
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK, use_threads=False,
                                       encoding="utf8" if utf8 else plan.encoding),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.binary() if utf8 else pa.string() for c in names},
                                             include_columns=present, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))
    offset = 0          # rows handed out so far (data rows; the file's row is offset + 2)
    pending: list = []
    held = 0

    def text(batch) -> "pa.Table":
        cols = {}
        for c in present:
            arr = batch.column(c)
            if not utf8:
                cols[c] = arr
                continue
            try:
                cols[c] = arr.cast(pa.string())
            except (pa.ArrowInvalid, UnicodeDecodeError):
                for i, v in enumerate(arr.to_pylist()):
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        raise NotInEncoding(f"{p}, row {offset + held + i + 2}, column {c}: not UTF-8 text "
                                            f"({exc.reason} at byte {exc.start})") from None
                raise  # pragma: no cover - a cast that fails on valid UTF-8
        return _with_absent(pa.table(cols) if cols else pa.table({}), columns, batch.num_rows)

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
    except UnicodeDecodeError:
        raise _locate_bad_text(plan, present) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        if bad:
            row = bad[0]
            where = f"row {row.number}" if row.number is not None else f"after row {offset + held + 1}"
            raise ValueError(f"{p}, {where}: expected {row.expected_columns} columns, got "
                             f"{row.actual_columns}: {row.text[:60]!r}") from None
        msg = str(exc).strip().splitlines()[0]
        if not utf8 and ("decode" in msg.lower() or "codec" in msg.lower()):
            raise _locate_bad_text(plan, present) from None
        raise ValueError(f"{p}: not a well-formed CSV after row {offset + held + 1}: {msg}") from None


def _locate_bad_text(plan: Plan, present) -> NotInEncoding:
    """The error for text not in the file's (non-UTF-8) encoding, naming the first bad row and column
    (a slow pass over the raw bytes, on the error path only)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    opts = dict(read_options=pacsv.ReadOptions(column_names=plan.names, skip_rows=1, block_size=_BLOCK,
                                               use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={c: pa.binary() for c in plan.names},
                                                     include_columns=list(plan.names)))
    row = 2
    enc = plan.encoding.upper()
    for batch in pacsv.open_csv(plan.path, **opts):
        values = {c: batch.column(c).to_pylist() for c in plan.names}
        for i in range(batch.num_rows):
            for c in plan.names:
                try:
                    values[c][i].decode(plan.encoding)
                except UnicodeDecodeError as exc:
                    col = c if not c.startswith("_ignored_") else f"{int(c[9:]) + 1} (ignored)"
                    return NotInEncoding(f"{plan.path}, row {row + i}, column {col}: not {enc} text "
                                         f"({exc.reason} at byte {exc.start})")
        row += batch.num_rows
    return NotInEncoding(f"{plan.path}: not {enc} text; give --encoding")  # pragma: no cover
