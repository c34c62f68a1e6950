"""The ``issuekind`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys

from issuekind.errors import IssuekindError


def _label(args) -> int:
    from issuekind.backlog import label_backlog
    from issuekind.storage.registry import load

    clf = load(args.model)
    summary = label_backlog(clf, args.input, args.output, _columns(args.text_columns),
                            args.threshold, args.format)
    counts = ", ".join(f"{k} {v}" for k, v in summary["labels"].items())
    print(f"labelled {summary['rows']} rows ({counts}; cannot tell {summary['unlabelled']})",
          file=sys.stderr)
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


def _evaluate(args) -> int:
    from issuekind.report import evaluate
    from issuekind.storage.registry import load
    from issuekind.tables import read_table, resolve_text_columns

    table = read_table(args.input, args.format)
    texts = table.texts(resolve_text_columns(table, _columns(args.text_columns)))
    labels = table.column(args.label_column)
    report = evaluate(load(args.model), texts, labels)
    print(report.summary())
    if args.html:
        print(f"wrote {report.to_html(args.html)}", file=sys.stderr)
    return 0


def _suggest(args) -> int:
    from issuekind.storage.registry import load
    from issuekind.suggest import suggest
    from issuekind.tables import read_table, resolve_text_columns, write_selection

    table = read_table(args.input, args.format)
    texts = table.texts(resolve_text_columns(table, _columns(args.text_columns)))
    picks = suggest(load(args.model), texts, n=args.n)
    write_selection(table, [p["index"] for p in picks],
                    {"predicted": [p["predicted"] for p in picks],
                     "confidence": [f"{p['confidence']:.4f}" for p in picks]}, args.output)
    print(f"suggested {len(picks)} of {len(texts)} rows to label", file=sys.stderr)
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
    label.add_argument("--format", choices=["csv", "jsonl"], help="input format (default: from "
                       "the file name); the output has the same format")
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
    evaluate.add_argument("--format", choices=["csv", "jsonl"], help="input format")
    evaluate.set_defaults(run=_evaluate)

    suggest = commands.add_parser("suggest", help="pick the issues to label next")
    suggest.add_argument("input", help="CSV or JSONL file of unlabelled issues")
    suggest.add_argument("-n", type=int, default=50, help="how many (default: 50)")
    suggest.add_argument("-o", "--output", help="CSV to write (default: standard output)")
    suggest.add_argument("--model", default="default", help=model_help)
    suggest.add_argument("--text-columns", help=text_help)
    suggest.add_argument("--format", choices=["csv", "jsonl"], help="input format")
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
