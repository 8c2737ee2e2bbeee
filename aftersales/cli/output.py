"""Printing for the command line: the only module of the library that writes to the terminal."""
from __future__ import annotations

import json
import math

__all__ = ["CLIError", "print_json"]


class CLIError(Exception):
    """A user error the command line reports in one line."""


def _json_default(o):
    try:
        import numpy as np
        if isinstance(o, np.generic):
            return o.item()
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _clean_nan(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _clean_nan(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_clean_nan(v) for v in o]
    return o


def print_json(obj) -> None:
    """Print one JSON object (NaN as null, Chinese text kept readable)."""
    print(json.dumps(_clean_nan(obj), ensure_ascii=False, indent=2, default=_json_default))
