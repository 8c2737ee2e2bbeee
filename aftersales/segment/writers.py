"""Writing CSV for people: UTF-8 with a byte-order mark, so Excel shows Chinese.

:func:`write_csv` writes a frame; :func:`write_csv_batches` writes Arrow batches one at a time (the
streaming engine), byte for byte as :func:`write_csv` would write the same rows.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

__all__ = ["write_csv", "write_csv_batches", "arrow_for_csv"]

_NEEDS_QUOTES = r'[",\r\n]'


def arrow_for_csv(frame: "pd.DataFrame") -> "pa.Table":
    """The frame as the Arrow table :func:`write_csv` writes.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame; its column names become text.

    Returns
    -------
    pyarrow.Table
        Date-times as days (``date32``), categoricals and object columns as text (None and NaN
        as null), other columns as Arrow converts them.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "case_id": ["A1", "A2"],
    ...     "opened_at": pd.to_datetime(["2024-03-05 14:23", "2024-03-06 09:00"]),
    ...     "reason": pd.Categorical(["尺码偏小", None]), "cost": [100.5, 20.0]})
    >>> table = arrow_for_csv(frame)
    >>> str(table.schema.field("opened_at").type), str(table.schema.field("reason").type)
    ('date32[day]', 'string')
    >>> table.column("reason").to_pylist()
    ['尺码偏小', None]
    """
    import pandas as pd
    import pyarrow as pa

    arrays, names = [], []
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            arr = pa.array(s.to_numpy().astype("datetime64[D]"), type=pa.date32(), from_pandas=True)
        elif isinstance(s.dtype, pd.CategoricalDtype):
            arr = pa.array(s.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
        elif s.dtype == object:
            arr = pa.array(s.map(lambda v: None if v is None or v != v else str(v)).to_numpy(),
                           type=pa.string(), from_pandas=True)
        else:
            arr = pa.array(s, from_pandas=True)
        arrays.append(arr)
        names.append(str(c))
    return pa.Table.from_arrays(arrays, names=names)


def _for_csv(table: "pa.Table") -> "pa.Table":
    """Timestamps as days, large text as text (what write_csv writes for the same values)."""
    import pyarrow as pa

    cols = []
    for f, col in zip(table.schema, table.columns):
        if pa.types.is_timestamp(f.type):
            col = col.cast(pa.date32())
        elif pa.types.is_dictionary(f.type):
            col = col.cast(pa.string())
        cols.append(col)
    return pa.Table.from_arrays(cols, names=table.column_names)


def _needs_quotes(table: "pa.Table") -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    return any(len(a) and pc.any(pc.match_substring_regex(a, _NEEDS_QUOTES)).as_py()
               for a in table.columns if pa.types.is_string(a.type) or pa.types.is_large_string(a.type))


def write_csv(frame: "pd.DataFrame", path: str | os.PathLike, force: bool = False) -> Path:
    """Write a frame as CSV for people: UTF-8 with a byte-order mark, so Excel shows Chinese.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to write.
    path : str or os.PathLike
        The CSV file; its folder is made if missing.
    force : bool, optional
        Overwrite an existing file (default False: refuse).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``force`` is False (the message names the file and ``--force``).

    Notes
    -----
    Encoding ``utf-8-sig``, dates as ISO days (the time of day dropped), missing values empty,
    line ends LF. Text is quoted only when some text cell of the file holds a comma, a
    quote or a line break, and then every text cell is quoted.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "case_id": ["A1", "A2"],
    ...     "opened_at": pd.to_datetime(["2024-03-05 14:23", "2024-03-06 09:00"]),
    ...     "reason": pd.Categorical(["尺码偏小", None]), "cost": [100.5, 20.0]})
    >>> import codecs, tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_csv(frame, Path(folder) / "cases.csv")
    ...     raw = path.read_bytes()
    ...     try:
    ...         write_csv(frame, path)
    ...     except FileExistsError:
    ...         refused = True
    >>> raw.startswith(codecs.BOM_UTF8), refused      # the byte-order mark; no overwrite without force
    (True, True)
    >>> raw[3:].decode("utf-8").splitlines()
    ['case_id,opened_at,reason,cost', 'A1,2024-03-05,尺码偏小,100.5', 'A2,2024-03-06,,20']
    """
    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
    table = arrow_for_csv(frame)
    return write_csv_batches(lambda: [table], p, table.column_names, force=True)


def write_csv_batches(batches: Callable[[], Iterable["pa.Table"]], path: str | os.PathLike, names,
                      force: bool = False) -> Path:
    """Write Arrow tables one at a time as one CSV, byte for byte as :func:`write_csv` would.

    The streaming engine writes its query results with it, batch by batch, so a file larger
    than memory never sits in memory whole.

    Parameters
    ----------
    batches : callable
        Called with no arguments, returns an iterable of ``pyarrow.Table`` with the same columns.
        It is called twice: once to see whether any text needs quotes, then to write.
    path : str or os.PathLike
        The CSV file; its folder is made if missing.
    names : sequence of str
        The header, one name per column.
    force : bool, optional
        Overwrite an existing file (default False: refuse).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``force`` is False.

    Examples
    --------
    The same rows in two batches give the same bytes as :func:`write_csv`:

    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "case_id": ["A1", "A2"],
    ...     "opened_at": pd.to_datetime(["2024-03-05 14:23", "2024-03-06 09:00"]),
    ...     "reason": pd.Categorical(["尺码偏小", None]), "cost": [100.5, 20.0]})
    >>> import tempfile
    >>> from pathlib import Path
    >>> table = arrow_for_csv(frame)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     whole = write_csv(frame, Path(folder) / "whole.csv").read_bytes()
    ...     parts = write_csv_batches(lambda: [table.slice(0, 1), table.slice(1)],
    ...                               Path(folder) / "parts.csv", table.column_names).read_bytes()
    >>> parts == whole
    True
    """
    import pyarrow.csv as pacsv

    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
    p.parent.mkdir(parents=True, exist_ok=True)
    # quote only when some text needs it (a comma, quote or line break), so the file stays readable
    needs = False
    for t in batches():                 # every batch (a query's result is read to its end)
        needs = needs or _needs_quotes(_for_csv(t))
    with open(p, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(list(names))
    with open(p, "ab") as fh:
        for t in batches():
            if t.num_rows:
                pacsv.write_csv(_for_csv(t), fh, write_options=pacsv.WriteOptions(
                    include_header=False, quoting_style="needed" if needs else "none"))
    return p
