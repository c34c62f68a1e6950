"""The ``issuekind`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys

from issuekind.errors import IssuekindError


def _label(args) -> int:
    from issuekind.backlog import label_backlog
    from issuekind.storage.registry import find_model, split_spec

    label_map = _read_label_map(args.label_map) if args.label_map else None
    # The folder, not the loaded model: with several jobs only the workers need to load it.
    summary = label_backlog(str(find_model(*split_spec(args.model))), args.input, args.output,
                            _columns(args.text_columns), args.threshold, args.format,
                            jobs=args.jobs, resume=args.resume, label_map=label_map,
                            top_k=args.top_k, progress=False if args.quiet else None,
                            chunk_size=args.chunk_size, scheduler=args.scheduler)
    if not args.quiet:
        counts = ", ".join(f"{k} {v}" for k, v in summary["labels"].items())
        print(f"labelled {summary['rows']} rows in {summary['elapsed']:.1f} s ({counts}; "
              f"not labelled {summary['unlabelled']}, of which {summary['errors']} with errors)",
              file=sys.stderr)
    return 0


def _read_label_map(path: str) -> dict[str, str]:
    """A JSON object, or a two-column CSV (our label, their label), mapping label names."""
    import csv
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            if path.endswith(".json"):
                mapping = json.load(fh)
            else:
                mapping = {row[0]: row[1] for row in csv.reader(fh) if len(row) >= 2}
    except (OSError, ValueError) as e:
        raise IssuekindError("E407", f"cannot read the label map {path} ({e}).") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise IssuekindError("E407", f"label map {path} must map label names to label names.")
    return mapping


def _evaluate(args) -> int:
    from issuekind.formats import Reader
    from issuekind.report import evaluate
    from issuekind.storage.registry import load

    reader = Reader(args.input, args.format, _columns(args.text_columns))
    records = reader.records()
    report = evaluate(load(args.model), [r.text for r in records],
                      reader.values(records, args.label_column))
    print(report.summary())
    if args.html:
        print(f"wrote {report.to_html(args.html)}", file=sys.stderr)
    return 0


def _suggest(args) -> int:
    from issuekind.atomic import atomic_output
    from issuekind.formats import Reader, Writer
    from issuekind.storage.registry import load
    from issuekind.suggest import suggest

    reader = Reader(args.input, args.format, _columns(args.text_columns))
    records = reader.records()
    picks = suggest(load(args.model), [r.text for r in records], n=args.n)
    extra = ["predicted", "confidence"] + ([] if "label" in reader.columns else ["label"])
    with atomic_output(args.output) as fh:
        writer = Writer(getattr(fh, "buffer", fh), "csv", reader, extra)
        writer.header()
        writer.write([records[p["index"]] for p in picks],
                     [[p["predicted"], f"{p['confidence']:.4f}", ""][:len(extra)] for p in picks])
        writer.close()
    print(f"suggested {len(picks)} of {len(records)} rows to label", file=sys.stderr)
    return 0


def _datasets_list(args) -> int:
    from issuekind.datasets.catalog import describe_sources

    for line in describe_sources(args.data_dir):
        print(line)
    return 0


def _datasets_build(args) -> int:
    from issuekind.datasets.corpus import build_corpus, write_corpus

    rows = build_corpus(args.data_dir)
    write_corpus(rows, args.output)
    gold = sum(r.origin == "gold" for r in rows)
    print(f"wrote {len(rows)} rows ({gold} gold, {len(rows) - gold} mapped) to {args.output}",
          file=sys.stderr)
    return 0


def _models_list(args) -> int:
    from issuekind.storage.registry import list_models

    models = list_models()
    if not models:
        print("no models found")
    for m in models:
        f1 = "-" if m["macro_f1"] is None else f"{m['macro_f1']:.3f}"
        print(f"{m['name']:<16} {m['version']:<10} macro-F1 {f1:<6} {m['format']:<17} {m['path']}")
        if m["scored_on"]:
            print(f"{'':<27} scored on {m['scored_on']}")
    return 0


def _models_show(args) -> int:
    from issuekind.storage.card import render_card
    from issuekind.storage.manifest import read_manifest
    from issuekind.storage.registry import find_model, split_spec

    print(render_card(read_manifest(find_model(*split_spec(args.model)))))
    return 0


def _package(args) -> int:
    from issuekind.storage.packaging import build_wheel
    from issuekind.storage.registry import find_model, split_spec

    wheel = build_wheel(find_model(*split_spec(args.model)), args.output)
    print(f"wrote {wheel}", file=sys.stderr)
    return 0


def _columns(value: str | None) -> list[str] | None:
    return value.split(",") if value else None


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
    label.add_argument("--format", choices=["csv", "jira", "jsonl", "github", "parquet"],
                       help="input format (default: from the file); the output format follows -o's "
                       "extension (.csv, .jsonl, .parquet), else the input's")
    label.add_argument("--jobs", type=int, default=-1, help="processes to label with (default: "
                       "all cores); the output is the same for any number")
    label.add_argument("--resume", action="store_true", help="continue an interrupted run")
    label.add_argument("--label-map", help="JSON or two-column CSV renaming our labels to yours")
    label.add_argument("--top-k", type=int, default=0, help="also write the next N labels and "
                       "their probabilities")
    label.add_argument("--chunk-size", type=int, default=2000, help="rows labelled and written "
                       "at a time (default: 2000)")
    label.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    label.add_argument("--scheduler", help="address of a Dask scheduler to label on (needs "
                       "the dask extra)")
    label.set_defaults(run=_label)

    datasets = commands.add_parser("datasets", help="the public sources and the training corpus")
    datasets_commands = datasets.add_subparsers(dest="datasets_command", required=True)
    data_help = "folder of the shared datasets (default: $ISSUEKIND_DATA_DIR or ../shared/datasets)"
    listing = datasets_commands.add_parser("list", help="show each known source")
    listing.add_argument("--data-dir", help=data_help)
    listing.set_defaults(run=_datasets_list)
    build = datasets_commands.add_parser("build", help="write the training corpus (gold train "
                                         "rows + mapped public rows) as JSONL")
    build.add_argument("-o", "--output", required=True, help="JSONL file to write")
    build.add_argument("--data-dir", help=data_help)
    build.set_defaults(run=_datasets_build)

    text_help = "comma-separated text columns, title first (default: title,body or text)"
    model_help = "NAME or NAME==VERSION (default: default)"
    evaluate = commands.add_parser("evaluate", help="score a model on a labelled CSV or JSONL file")
    evaluate.add_argument("input", help="CSV or JSONL file of labelled issues")
    evaluate.add_argument("--model", default="default", help=model_help)
    evaluate.add_argument("--label-column", default="label", help="column of true labels (default: label)")
    evaluate.add_argument("--text-columns", help=text_help)
    evaluate.add_argument("--html", help="also write a self-contained HTML report with plots")
    evaluate.add_argument("--format", choices=["csv", "jira", "jsonl", "github", "parquet"],
                          help="input format")
    evaluate.set_defaults(run=_evaluate)

    suggest = commands.add_parser("suggest", help="pick the issues to label next")
    suggest.add_argument("input", help="CSV or JSONL file of unlabelled issues")
    suggest.add_argument("-n", type=int, default=50, help="how many (default: 50)")
    suggest.add_argument("-o", "--output", help="CSV to write (default: standard output)")
    suggest.add_argument("--model", default="default", help=model_help)
    suggest.add_argument("--text-columns", help=text_help)
    suggest.add_argument("--format", choices=["csv", "jira", "jsonl", "github", "parquet"],
                         help="input format")
    suggest.set_defaults(run=_suggest)

    models = commands.add_parser("models", help="the models issuekind can load")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    models_commands.add_parser("list", help="every model found, with its metrics").set_defaults(
        run=_models_list)
    show = models_commands.add_parser("show", help="print a model's card")
    show.add_argument("model", help="NAME, NAME==VERSION or NAME with a range (NAME>=1.1,<2)")
    show.set_defaults(run=_models_show)

    package = commands.add_parser("package", help="build an installable wheel of a model")
    package.add_argument("model", help="NAME==VERSION (or NAME for the newest)")
    package.add_argument("-o", "--output", default="dist", help="folder for the wheel (default: dist)")
    package.set_defaults(run=_package)
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
