"""Files the command line writes: a file a user made is never overwritten without ``--force``.

The dashboard of ``report`` carries a tag (PNG text chunk ``Software``, the ``Creator`` of an SVG or
PDF); a later ``report`` may replace a file that carries it, any other existing file needs --force.
"""
from __future__ import annotations

from pathlib import Path

from aftersales.cli.output import CLIError

__all__ = ["DASHBOARD_FORMATS", "REPORT_TAG", "dashboard_metadata", "written_by_report", "check_dashboard_target",
           "check_input_file"]

#: The formats ``report --png`` writes (the file's extension picks one).
DASHBOARD_FORMATS = (".png", ".svg", ".pdf")
#: What a dashboard written by ``report`` says made it.
REPORT_TAG = "aftersales report"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def dashboard_metadata(suffix: str) -> dict:
    """The ``savefig(metadata=...)`` of a dashboard: the tag, and no date (the same file on every run)."""
    suffix = suffix.lower()
    if suffix == ".png":
        return {"Software": REPORT_TAG}
    if suffix == ".svg":
        return {"Creator": REPORT_TAG, "Date": None}
    return {"Creator": REPORT_TAG, "CreationDate": None}


def _png_text(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG before its image data, {keyword: text}."""
    out, pos = {}, len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind in (b"IDAT", b"IEND"):
            break
        if kind == b"tEXt":
            key, _, text = data[pos + 8:pos + 8 + length].partition(b"\0")
            out[key.decode("latin-1")] = text.decode("latin-1")
        pos += 12 + length
    return out


def written_by_report(path: str | Path) -> bool:
    """True if ``path`` is a dashboard that ``report`` wrote (it carries :data:`REPORT_TAG`)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(65_536)
            if head.startswith(_PNG_SIGNATURE):
                return _png_text(head).get("Software") == REPORT_TAG
            if head.startswith(b"%PDF"):
                size = fh.seek(0, 2)
                fh.seek(max(0, size - 65_536))
                return f"/Creator ({REPORT_TAG})".encode() in fh.read()
    except OSError:
        return False
    meta = head.split(b"</metadata>", 1)[0]
    return b"<svg" in head[:1000] and f"<dc:title>{REPORT_TAG}</dc:title>".encode() in meta


def check_dashboard_target(path: str | Path, force: bool) -> Path:
    """The dashboard path of ``report --png``, checked before anything is printed.

    CLIError for an extension other than :data:`DASHBOARD_FORMATS`, a folder, or an existing file
    that ``report`` did not write (unless ``force``).
    """
    p = Path(path)
    if p.suffix.lower() not in DASHBOARD_FORMATS:
        raise CLIError(f"--png {path}: the dashboard is written as .png, .svg or .pdf; "
                       "end the file name with one of them")
    if p.is_dir():
        raise CLIError(f"--png {path} is a folder; give a file name ending in .png, .svg or .pdf")
    if p.exists() and not force and not written_by_report(p):
        raise CLIError(f"--png {path}: the file exists and was not written by this report; "
                       "use --force to overwrite it, or give another name")
    return p


def check_input_file(path, what: str) -> None:
    """CLIError when ``path`` is a folder: ``what`` (e.g. "a case file") must be a file."""
    if path is not None and Path(path).is_dir():
        raise CLIError(f"{path} is a folder, not {what}")
