"""Writing CSV for people: UTF-8 with a byte-order mark, so Excel shows Chinese."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

import csv

__all__ = ["write_csv"]

# ------------------------------------------------------------------------------ writing
def write_csv(frame: "pd.DataFrame", path: str | os.PathLike, force: bool = False) -> Path:
    """Write a frame as CSV for people: UTF-8 with a byte-order mark (``utf-8-sig``, so Excel shows
    Chinese), dates ISO, empty for missing; refuse to overwrite unless force."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
    p.parent.mkdir(parents=True, exist_ok=True)
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
    table = pa.Table.from_arrays(arrays, names=names)
    import pyarrow.compute as pc

    # quote only when some text needs it (a comma, quote or line break), so the file stays readable
    textual = [a for a in arrays if pa.types.is_string(a.type) or pa.types.is_large_string(a.type)]
    needs = any(len(a) and pc.any(pc.match_substring_regex(a, r'[",\r\n]')).as_py() for a in textual)
    with open(p, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(names)
    with open(p, "ab") as fh:
        pacsv.write_csv(table, fh, write_options=pacsv.WriteOptions(
            include_header=False, quoting_style="needed" if needs else "none"))
    return p
