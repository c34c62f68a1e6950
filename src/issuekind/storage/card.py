"""The model card: a model's manifest as a short Markdown page for people."""

from __future__ import annotations

from pathlib import Path

from issuekind.storage.manifest import README


def render_card(manifest: dict) -> str:
    """Markdown: what the model predicts, what it was trained on (with licences), how well
    it does, and what it was made with."""
    name, version = manifest.get("name"), manifest.get("version")
    lines = [f"# {name} {version}", ""]
    if manifest.get("description"):
        lines += [manifest["description"], ""]
    lines += [f"- format: {manifest.get('format', 'issuekind-linear')}",
              f"- labels: {', '.join(manifest.get('labels', [])) or '(not recorded)'}",
              f"- created: {manifest.get('created', '?')}"]
    if manifest.get("params"):
        params = dict(manifest["params"])
        params.setdefault("tokenizer", "spacy-en")  # saved before the parameter existed
        lines.append("- settings: " + ", ".join(f"{k}={v}" for k, v in sorted(params.items())))
    if manifest.get("training_fingerprint"):
        lines.append(f"- training data fingerprint: {manifest['training_fingerprint']}")
    lines += ["", "Load it with:", "", "```python", "import issuekind",
              f'clf = issuekind.load("{name}", "{version}")', "```", ""]
    sources = manifest.get("sources") or []
    if sources:
        lines += ["## Training data", "", "| source | licence | rows | origin |", "|---|---|---|---|"]
        lines += [f"| {s.get('name')} | {s.get('licence')} | {s.get('rows')} | {s.get('origin', '')} |"
                  for s in sources]
        lines.append("")
    metrics = manifest.get("metrics") or {}
    held_out = metrics.get("held_out")
    if held_out:
        lines += ["## Metrics", "", f"Scored on {metrics.get('scored_on', 'held-out rows')} "
                  f"({held_out.get('n')} rows): accuracy {held_out.get('accuracy')}, macro-F1 "
                  f"{held_out.get('macro_f1')}, kind accuracy {held_out.get('kind_accuracy')}.", ""]
        per_label = held_out.get("per_label") or {}
        if per_label:
            lines += ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
            lines += [f"| {lab} | {m['precision']} | {m['recall']} | {m['f1']} | {m['support']} |"
                      for lab, m in per_label.items()]
            lines.append("")
    versions = manifest.get("library_versions") or {}
    if versions:
        lines += ["## Made with", "", ", ".join(f"{k} {v}" for k, v in versions.items()), ""]
    return "\n".join(lines)


def write_card(folder: Path, manifest: dict) -> None:
    (folder / README).write_text(render_card(manifest), encoding="utf-8")
