"""The command line: ``python -m aftersales COMMAND``.

report    the after-sales report, both methods side by side, and the dashboard PNG
evaluate  one scenario as JSON (the output contract of docs/model.md)
simulate  Monte Carlo over the uncertain inputs, summary as JSON
segment, generate-cases     after-sales records (aftersales.cli.segment_cmds)
homework make|grade|strip   teacher tools (aftersales.cli.teacher_cmds)
app, site                   the web front ends (aftersales.cli.web_cmds)

This package is the only place that prints, and nothing in the library imports it.
Every error is one clear line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import sys

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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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
