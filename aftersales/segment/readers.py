"""Reading a source as exported: CSV (UTF-8 with or without BOM, GB18030/GBK) or .xlsx.

Shop back-offices export CSV in GBK/GB18030 or UTF-8 with a byte-order mark, or .xlsx. The
encoding is detected (a BOM, else UTF-8 if the text decodes as UTF-8, else GB18030, which
contains GBK and GB2312) unless given. Every cell is read as text; the headers are mapped onto
canonical names through the alias table (:mod:`~aftersales.segment.aliases`).
"""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from aftersales.segment.aliases import Aliases, load_aliases
from aftersales.segment.schema import CASE_COLUMNS, OPTIONAL_COLUMNS, label_key

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["detect_encoding", "csv_header", "read_source", "read_cases", "xlsx_rows", "map_header", "XLSX_SUFFIXES"]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
_GB = {"gbk", "gb2312", "gb18030", "cp936", "936"}



def csv_header(p: Path, enc: str) -> list[str]:
    r"""The header line of a CSV file, as text.

    Parameters
    ----------
    p : pathlib.Path
        The CSV file.
    enc : str
        Its text encoding (e.g. from :func:`detect_encoding`).

    Returns
    -------
    list of str
        The header's cells, as written.

    Raises
    ------
    ValueError
        Naming the file, when it is empty or is not ``enc`` text.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> tmall = Path(folder.name) / "tmall.csv"
    >>> _ = tmall.write_bytes("售后单号,申请时间,售后类型,退款金额\nT1,2024-03-05 14:23:11,退货退款,¥1299.00\n"
    ...                       .encode("gb18030"))
    >>> csv_header(tmall, "gb18030")
    ['售后单号', '申请时间', '售后类型', '退款金额']
    >>> try:
    ...     csv_header(tmall, "utf-8")
    ... except ValueError as exc:
    ...     print(str(exc).split(": ")[1].split(" (")[0])
    not utf-8 text
    >>> folder.cleanup()
    """
    try:
        with open(p, encoding=enc, newline="") as fh:
            return next(csv.reader(fh))
    except StopIteration:
        raise ValueError(f"{p}: the file is empty (expected a header line)") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not {enc} text ({exc}); give --encoding") from None

def detect_encoding(path: str | os.PathLike, encoding: str | None = None, sample: int = 1 << 22) -> str:
    r"""The text encoding of a CSV: ``utf-8-sig`` or ``gb18030`` (or ``encoding`` if given).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (not opened when ``encoding`` is given).
    encoding : str, optional
        The encoding the user gave (``--encoding``): GBK and GB2312 names are read as GB18030 (a
        superset), UTF-8 names as ``utf-8-sig`` (a BOM is then skipped), others as Python knows
        them. None (default): detect.
    sample : int, optional
        Bytes looked at for detection (default 4 MiB).

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    ValueError
        If the given ``encoding`` is not known.

    Notes
    -----
    Detection: a UTF-8 byte-order mark gives ``utf-8-sig``; else a sample that decodes as UTF-8
    (but for a character cut at its end) gives ``utf-8-sig``; else ``gb18030``. Text past the
    sample that is not UTF-8 is caught by :func:`read_source`, which reads the file again as
    GB18030.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> tmall = Path(folder.name) / "tmall.csv"
    >>> _ = tmall.write_bytes("售后单号,申请时间,售后类型,退款金额\nT1,2024-03-05 14:23:11,退货退款,¥1299.00\n"
    ...                       .encode("gb18030"))
    >>> detect_encoding(tmall), detect_encoding(tmall, "GBK"), detect_encoding(tmall, "utf8")
    ('gb18030', 'gb18030', 'utf-8-sig')
    >>> folder.cleanup()
    """
    if encoding:
        e = encoding.strip().lower().replace("_", "-")
        if e.replace("-", "") in _GB:
            return "gb18030"
        if e.replace("-", "") in ("utf8", "utf8sig"):
            return "utf-8-sig"
        import codecs

        try:
            return codecs.lookup(e).name
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}; use utf-8 or gbk (gb18030)") from None
    with open(path, "rb") as fh:
        head = fh.read(sample)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:       # not a character cut at the end of the sample
            return "gb18030"
    return "utf-8-sig"


def xlsx_rows(p: Path, sheet: str | None = None):
    """The rows of the first (or the named) sheet of a workbook as text, one list a row.

    The sheet is read as a stream (openpyxl's read-only mode: memory does not grow with the
    sheet).

    Parameters
    ----------
    p : pathlib.Path
        The ``.xlsx`` workbook.
    sheet : str, optional
        The sheet's name; the first sheet when None.

    Yields
    ------
    list of str
        One row: date-times as ``YYYY-MM-DD HH:MM:SS`` (a date cell too, as Excel stores it),
        dates as ``YYYY-MM-DD``, whole numbers without ``.0``, empty cells as ``""``.

    Raises
    ------
    ValueError
        Naming the file, when it is not a readable workbook (or openpyxl is not installed).

    Examples
    --------
    >>> import datetime, tempfile
    >>> from pathlib import Path
    >>> import openpyxl
    >>> folder = tempfile.TemporaryDirectory()
    >>> book = openpyxl.Workbook()
    >>> book.active.append(["服务单号", "申请时间", "服务类型", "维修费用"])
    >>> book.active.append(["J1", datetime.datetime(2024, 3, 5, 9, 30), "保修", 120.0])
    >>> book.save(Path(folder.name) / "jd.xlsx")
    >>> list(xlsx_rows(Path(folder.name) / "jd.xlsx"))
    [['服务单号', '申请时间', '服务类型', '维修费用'], ['J1', '2024-03-05 09:30:00', '保修', '120']]
    >>> folder.cleanup()
    """
    import datetime as dt

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the extra is missing
        raise ValueError(f"{p}: reading .xlsx needs openpyxl (pip install 'aftersales[segment]')") from None
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException
        raise ValueError(f"{p}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None

    def text(v) -> str:
        if v is None:
            return ""
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(v, dt.date):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [text(v) for v in row]
    finally:
        wb.close()


def _xlsx_rows(p: Path, sheet: str | None = None) -> list[list[str]]:
    """Every row of the first (or the named) sheet as text, trailing empty rows dropped."""
    rows = list(xlsx_rows(p, sheet))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def map_header(p: Path, header: Sequence[str], cmap: dict[str, str], columns: Sequence[str],
                required: Sequence[str]) -> tuple[dict[int, str], bool, list[str]]:
    """Map a file's header onto canonical column names through the alias table.

    Parameters
    ----------
    p : pathlib.Path
        The file, named in the errors (not opened).
    header : sequence of str
        The header's cells, as in the file.
    cmap : dict of str to str
        Label key (see :func:`~aftersales.segment.schema.label_key`) to canonical name, e.g.
        ``Aliases.column_map()``.
    columns : sequence of str
        The canonical columns of this kind of source; other headers are ignored.
    required : sequence of str
        The columns that must be present.

    Returns
    -------
    positions : dict of int to str
        Column position in the header to canonical name.
    alias_used : bool
        Whether some header was not already its canonical name.
    absent : list of str
        The canonical ``columns`` not in the header (optional ones, read as empty).

    Raises
    ------
    ValueError
        Naming the file: when two headers mean the same column, or required columns are missing
        (with the unrecognised headers, to add to the alias table).

    Examples
    --------
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> cmap = load_aliases().column_map()
    >>> columns, required = ["case_id", "opened_at", "case_type", "reason"], ["case_id", "opened_at"]
    >>> map_header(Path("tmall.csv"), ["售后单号", "申请时间", "售后类型", "备注"], cmap, columns, required)
    ({0: 'case_id', 1: 'opened_at', 2: 'case_type'}, True, ['reason'])
    >>> try:
    ...     map_header(Path("tmall.csv"), ["售后单号", "备注"], cmap, columns, required)
    ... except ValueError as exc:
    ...     print(exc)
    tmall.csv: missing column(s) opened_at (unrecognised headers: 备注; add them to the alias table with --aliases FILE)
    """
    pos, used_alias, unknown = {}, False, []
    for i, col in enumerate(header):
        canon = cmap.get(label_key(col))
        if canon is None or canon not in columns:
            if str(col).strip():
                unknown.append(str(col))
            continue
        if canon in pos.values():
            first = header[[k for k, v in pos.items() if v == canon][0]]
            raise ValueError(f"{p}: columns {first!r} and {col!r} both mean {canon}")
        pos[i] = canon
        used_alias |= str(col).strip() != canon
    missing = [c for c in required if c not in pos.values()]
    if missing:
        raise ValueError(f"{p}: missing column(s) {', '.join(missing)}"
                         + (f" (unrecognised headers: {', '.join(unknown)}; add them to the alias table"
                            " with --aliases FILE)" if unknown else ""))
    absent = [c for c in columns if c not in pos.values()]
    return pos, used_alias, absent


def read_source(path: str | os.PathLike, columns: Sequence[str], required: Sequence[str],
                aliases: Aliases | None = None, encoding: str | None = None,
                extra: Sequence[str] = (), what: str = "file") -> tuple["pa.Table", dict]:
    r"""Read one source (CSV or .xlsx) as text, with canonical column names.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read; ``.xlsx`` and ``.xlsm`` by their suffix (first sheet, header in row
        1), anything else as CSV.
    columns : sequence of str
        The canonical columns of this kind of source; absent optional ones are added empty.
    required : sequence of str
        The columns that must be present.
    aliases : Aliases, optional
        The alias table (the shipped one by default).
    encoding : str, optional
        CSV text encoding; detected when None (see :func:`detect_encoding`).
    extra : sequence of str, optional
        Further columns kept when present (e.g. source_file, source_row of a set-aside file).
    what : str, optional
        What the file is, for the error when it does not exist ("case file", "orders file").

    Returns
    -------
    table : pyarrow.Table
        Every column a string (cells trimmed in .xlsx, as written in CSV), in the order of
        ``columns``, then the ``extra`` ones present.
    info : dict
        ``file`` (the name), ``encoding`` (as read; ``xlsx`` for a workbook), ``format`` (csv or
        xlsx), ``alias_used`` and ``absent`` (the columns added empty).

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file (``"<path>: no such <what>"``).
    ValueError
        One line naming the file: a missing required column, an empty file, text not in the
        encoding, a malformed CSV.

    Notes
    -----
    A CSV detected as UTF-8 whose text past the detection sample is not UTF-8 is read again as
    GB18030 (only when no encoding was given).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> tmall = Path(folder.name) / "tmall.csv"
    >>> _ = tmall.write_bytes("售后单号,申请时间,售后类型,退款金额\nT1,2024-03-05 14:23:11,退货退款,¥1299.00\n"
    ...                       .encode("gb18030"))
    >>> table, info = read_source(tmall, ["case_id", "opened_at", "case_type", "reason"],
    ...                           ["case_id", "opened_at"])
    >>> table.to_pylist()
    [{'case_id': 'T1', 'opened_at': '2024-03-05 14:23:11', 'case_type': '退货退款', 'reason': ''}]
    >>> info
    {'file': 'tmall.csv', 'encoding': 'gb18030', 'format': 'csv', 'alias_used': True, 'absent': ['reason']}
    >>> folder.cleanup()
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    aliases = aliases or load_aliases()
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such {what}")
    cmap = aliases.column_map()
    for c in tuple(columns) + tuple(extra):
        cmap.setdefault(label_key(c), c)
    allowed = tuple(columns) + tuple(extra)
    if p.suffix.lower() in XLSX_SUFFIXES:
        rows = _xlsx_rows(p)
        if not rows:
            raise ValueError(f"{p}: the workbook's first sheet is empty (expected a header row)")
        header, body = rows[0], rows[1:]
        pos, used, absent = map_header(p, header, cmap, allowed, required)
        width = len(header)
        body = [r + [""] * (width - len(r)) if len(r) < width else r for r in body]
        data = {name: pa.array([r[i].strip() for r in body], pa.string()) for i, name in pos.items()}
        enc, fmt = "xlsx", "xlsx"
    else:
        enc = detect_encoding(p, encoding)
        fmt = "csv"
        header = csv_header(p, enc)
        pos, used, absent = map_header(p, header, cmap, allowed, required)
        names = [pos.get(i, f"_ignored_{i}") for i in range(len(header))]
        data = None
        for attempt in (enc, "gb18030"):
            try:
                t = pacsv.read_csv(
                    p,
                    read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24,
                                                   encoding="utf8" if attempt == "utf-8-sig" else attempt),
                    parse_options=pacsv.ParseOptions(newlines_in_values=True),
                    convert_options=pacsv.ConvertOptions(
                        column_types={c: pa.string() for c in names}, include_columns=list(pos.values()),
                        strings_can_be_null=False, quoted_strings_can_be_null=False))
                data = {c: t[c] for c in pos.values()}
                enc = attempt
                break
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                msg = str(exc).strip().splitlines()[0]
                utf = "UTF8" in msg or "utf8" in msg.lower() or "decode" in msg.lower()
                if utf and encoding is None and attempt != "gb18030":
                    continue                    # the text past the sample was not UTF-8: try GB18030
                if utf:
                    raise ValueError(f"{p}: not {attempt} text ({msg}); give --encoding") from None
                raise ValueError(f"{p}: not a well-formed CSV: {msg}") from None
    n = len(next(iter(data.values()))) if data else 0
    cols = {c: data[c] if c in data else pa.array([""] * n, pa.string()) for c in columns}
    cols.update({c: data[c] for c in extra if c in data})
    info = {"file": p.name, "encoding": enc, "format": fmt, "alias_used": used,
            "absent": [c for c in absent if c in columns]}
    return pa.table(cols), info


def read_cases(path: str | os.PathLike, aliases: Aliases | None = None,
               encoding: str | None = None) -> tuple["pa.Table", str]:
    r"""Read a case file as text (every column a string), headers mapped to the canonical names.

    Every source is read with the same rules (see :func:`read_source`); the dates and amounts
    are parsed later, by :func:`~aftersales.segment.cleaning.clean_cases`.

    Parameters
    ----------
    path : str or os.PathLike
        A case file: CSV (UTF-8 with or without BOM, GB18030/GBK) or ``.xlsx``.
    aliases : Aliases, optional
        The alias table (the shipped one by default).
    encoding : str, optional
        CSV text encoding; detected when None.

    Returns
    -------
    table : pyarrow.Table
        The columns of :data:`~aftersales.segment.schema.CASE_COLUMNS` (optional ones absent
        from the file added empty), then ``source_file`` and ``source_row`` when the file has
        them (a set-aside file loaded again); ``table.to_pandas()`` to look at it.
    layout : str
        ``"canonical"`` when the headers are the canonical names, ``"export"`` when some came
        through the alias table.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        Naming the file and the missing columns when a required column is absent, or the
        problem when the CSV is malformed or not in its encoding.

    Examples
    --------
    A Tmall export in GBK, with the platform's headers:

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> tmall = Path(folder.name) / "tmall.csv"
    >>> _ = tmall.write_bytes("售后单号,申请时间,售后类型,退款金额\nT1,2024-03-05 14:23:11,退货退款,¥1299.00\n"
    ...                       .encode("gb18030"))
    >>> table, layout = read_cases(tmall)
    >>> layout, table.num_rows, table.num_columns
    ('export', 1, 16)
    >>> row = table.to_pylist()[0]
    >>> row["case_id"], row["case_type"], row["refund_amount"], row["reason"]
    ('T1', '退货退款', '¥1299.00', '')
    >>> folder.cleanup()
    """
    table, info = read_source(path, CASE_COLUMNS,
                              [c for c in CASE_COLUMNS if c not in OPTIONAL_COLUMNS],
                              aliases, encoding, extra=("source_file", "source_row"), what="case file")
    return table, "export" if info["alias_used"] else "canonical"


_map_header = map_header      # the name before version 0.4
