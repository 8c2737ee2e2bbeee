"""The command line: ``python -m aftersales COMMAND``.

report          the after-sales report, both methods side by side, and the dashboard PNG
evaluate        one scenario as JSON (the output contract of docs/model.md), or as text
simulate        Monte Carlo over the uncertain inputs, summary as JSON
                (report, evaluate, simulate: aftersales.cli.model_cmds)
customers       real customers: retention, BG/NBD, lifetime value of CDNOW or a CSV log
                (aftersales.cli.customers_cmds)
segment         clean after-sales cases and layer their cost (aftersales.cli.segment_cmds)
generate-cases  write a synthetic after-sales data set (aftersales.cli.segment_cmds)
homework make|grade|strip   teacher tools (aftersales.cli.teacher_cmds)
app, site                   the web front ends (aftersales.cli.web_cmds)

This package is the only place that prints, and nothing in the library imports it.
Every error is one clear line on stderr and a non-zero exit, never a traceback; a warning is one
line ``warning: ...`` on stderr. Files a user made are never overwritten without ``--force``
(aftersales.cli.files).
"""
from __future__ import annotations

import argparse
import sys
import warnings

from aftersales.cli import customers_cmds, model_cmds, segment_cmds, teacher_cmds, web_cmds
from aftersales.cli.output import CLIError, print_json

__all__ = ["main", "build_parser", "CLIError", "print_json"]

#: Command groups, each with ``register(subparsers)``.
COMMAND_GROUPS = (model_cmds, segment_cmds, teacher_cmds, web_cmds, customers_cmds)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m aftersales",
                                description="After-sales economics for fashion brands.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning as one line ``warning: <message>`` on stderr (no library path, no source line)."""
    text = " ".join(str(message).split())
    print(f"warning: {text}", file=sys.stderr if file is None else file)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (CLIError, ValueError, KeyError, FileNotFoundError, FileExistsError,
            PermissionError, IsADirectoryError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {msg}", file=sys.stderr)
        return 2
