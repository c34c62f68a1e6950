"""The ``issuekind`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys

from issuekind.errors import IssuekindError


def _label(args) -> int:
    from issuekind.backlog import label_backlog
    from issuekind.storage.registry import load

    clf = load(args.model)
    columns = args.text_columns.split(",") if args.text_columns else None
    summary = label_backlog(clf, args.input, args.output, columns, args.threshold, args.format)
    counts = ", ".join(f"{k} {v}" for k, v in summary["labels"].items())
    print(f"labelled {summary['rows']} rows ({counts}; cannot tell {summary['unlabelled']})",
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="issuekind", description="Say what kind of work "
                                     "software issues are: maintenance type or support level.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True)

    label = commands.add_parser("label", help="label every row of a CSV or JSONL backlog")
    label.add_argument("input", help="CSV or JSONL file of issues")
    label.add_argument("-o", "--output", help="file to write (default: standard output)")
    label.add_argument("--text-columns", help="comma-separated text columns, title first "
                       "(default: title,body or text)")
    label.add_argument("--model", default="default", help="NAME or NAME==VERSION (default: default)")
    label.add_argument("--threshold", type=float, help="confidence below which the label is "
                       "left empty (default: the model's)")
    label.add_argument("--format", choices=["csv", "jsonl"], help="input format (default: from "
                       "the file name); the output has the same format")
    label.set_defaults(run=_label)
    return parser


def _version() -> str:
    from issuekind import __version__

    return f"issuekind {__version__}"


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except IssuekindError as e:
        print(f"issuekind: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head`): not an error of ours
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("issuekind: interrupted; no output was written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
