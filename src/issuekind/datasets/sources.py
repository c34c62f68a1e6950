"""The public labelled datasets issuekind learns from, and how to read their rows.

Each :class:`Source` knows where its files lie inside the data folder (by default
``../shared/datasets`` beside the checkout), their sha256 checksums, and how one file row
becomes a :class:`SourceRow`: a stable key, a title, a body and the source's own labels.
Nothing here decides *our* label for a row; that is :mod:`issuekind.datasets.mapping`.

The project never stores these texts. A row is referred to by ``(source, key)`` and the
sha256 of :attr:`SourceRow.text`, which is what annotations record.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from issuekind.checksums import file_sha256, text_sha256
from issuekind.errors import IssuekindError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

DATA_DIR_ENV = "ISSUEKIND_DATA_DIR"


@dataclass(frozen=True)
class SourceRow:
    """One row of a public dataset: its key, its text and the labels its authors gave."""

    source: str
    key: str
    title: str
    body: str
    raw: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """Title and body as issuekind reads them: the title is the first line."""
        if self.title and self.body:
            return f"{self.title}\n{self.body}"
        return self.title or self.body

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the data folder
    sha256: str
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Source:
    """A public dataset: where it comes from, its licence, and how to read its rows."""

    name: str
    origin: str
    licence: str
    unit: str  # "issue", "commit" or "ticket"
    files: tuple[SourceFile, ...]
    read: Callable[["Source", Path], Iterator[SourceRow]]

    def rows(self, data_dir: str | os.PathLike | None = None, verify: bool = True) -> Iterator[SourceRow]:
        """Yield the rows of this source from ``data_dir``.

        Raises :class:`IssuekindError` when a file is missing or, with ``verify``, when its
        checksum differs from the one this source was written for.
        """
        root = resolve_data_dir(data_dir)
        if verify:
            self.verify(root)
        return _unique_keys(self.read(self, root))

    def verify(self, data_dir: Path) -> None:
        for f in self.files:
            path = data_dir / f.path
            if not path.is_file():
                raise IssuekindError(
                    "E101",
                    f"source '{self.name}': file {path} is missing. Point --data-dir (or "
                    f"{DATA_DIR_ENV}) at the folder that holds the shared datasets.",
                )
            digest = file_sha256(path)
            if digest != f.sha256:
                raise IssuekindError(
                    "E102",
                    f"source '{self.name}': file {path} has sha256 {digest}, expected {f.sha256}. "
                    "The file changed since issuekind's labels were made for it; restore the "
                    "original file or update the source definition and re-check its labels.",
                )


def _unique_keys(rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    # A few sources list the same commit twice; the second one is keyed "<key>~2".
    seen: dict[str, int] = {}
    for row in rows:
        n = seen.get(row.key, 0) + 1
        seen[row.key] = n
        if n > 1:
            row = SourceRow(row.source, f"{row.key}~{n}", row.title, row.body, row.raw)
        yield row


def default_data_dir() -> Path | None:
    """``$ISSUEKIND_DATA_DIR``, else ``../shared/datasets`` beside the checkout, if present."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[3]
    candidate = checkout.parent / "shared" / "datasets"
    if candidate.is_dir():
        return candidate
    candidate = Path.cwd().parent / "shared" / "datasets"
    return candidate if candidate.is_dir() else None


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if root is None or not root.is_dir():
        raise IssuekindError(
            "E100",
            f"data folder {root or '(none found)'} does not exist. Pass --data-dir or set "
            f"{DATA_DIR_ENV} to the folder that holds the shared datasets.",
        )
    return root


def _open_text(path: Path, encoding: str) -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


def _dict_rows(root: Path, f: SourceFile) -> Iterator[tuple[int, dict]]:
    with _open_text(root / f.path, f.encoding) as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            yield i, row


def _clean(value: str | None) -> str:
    return (value or "").strip()


# --- readers, one per file layout -------------------------------------------------------


def _read_nlbse(src: Source, root: Path) -> Iterator[SourceRow]:
    for f in src.files:
        split = "train" if "train" in f.path else "test"
        for i, r in _dict_rows(root, f):
            yield SourceRow(src.name, f"{split}:{i}", _clean(r["title"]), _clean(r["body"]),
                            {"label": r["label"], "repo": r["repo"]})


def _read_inex(src: Source, root: Path) -> Iterator[SourceRow]:
    # v3 relabels and extends v1; v1 rows that v3 dropped are kept with their v1 label.
    seen = set()
    for f in sorted(src.files, key=lambda f: "v3" not in f.path):
        for _, r in _dict_rows(root, f):
            url = r["html_url"]
            if url in seen:
                continue
            seen.add(url)
            yield SourceRow(src.name, url, _clean(r["title"]), _clean(r["body"]),
                            {"label": " ".join(r["final_classification"].split()),
                             "labels": r["labels"], "repo": f"{r['owner']}/{r['repo']}"})


def _read_matomo(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        if r["is_pr"] == "True":
            continue
        yield SourceRow(src.name, r["number"], _clean(r["title"]), _clean(r["body"]),
                        {"labels": r["labels"], "repo": "matomo-org/matomo"})


def _read_teampml(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        if r["is_pr"] == "yes":
            continue
        yield SourceRow(src.name, f"{r['repository']}#{r['number']}", _clean(r["title"]),
                        _clean(r["description"]), {"labels": r["labels"], "repo": r["repository"]})


def _read_satd_commits(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, f"{r['project']}:{r['sha']}", "", _clean(r["text"]),
                        {"label": r["classification"], "repo": r["project"]})


def _read_tian(src: Source, root: Path) -> Iterator[SourceRow]:
    for f in src.files:
        split = "train" if "train" in f.path else "test"
        for i, r in _dict_rows(root, f):
            label = _clean(r.get("why_subcategory")).replace("\ufeff", "")
            if not label:
                continue
            yield SourceRow(src.name, f"{split}:{r['ID']}", "", _clean(r["message"]),
                            {"label": label, "repo": r["repo"]})


def _read_levin(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, r["commit"], "", _clean(r["message"]),
                        {"label": r["original_label"], "repo": ""})


def _read_evidencebp_random(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        flags = {k: r[k] for k in ("Is_Corrective", "Is_Adaptive", "Is_Perfective", "Is_Refactor")}
        if not any(flags.values()):
            continue  # this row was never labelled
        yield SourceRow(src.name, f"{r['repo_name']}:{r['commit']}", "", _clean(r["message"]),
                        {**flags, "repo": r["repo_name"]})


def _read_hoenel(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, r["commitId_t_0"], "", _clean(r["Message_t_0"]),
                        {"label": r["label_t_0"], "repo": r["project_t_0"]})


def _read_it_tickets(src: Source, root: Path) -> Iterator[SourceRow]:
    for i, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, str(i), _clean(r["Short description"]), _clean(r["Description"]),
                        {"label": r["Assignment group"], "repo": ""})


def _read_endava(src: Source, root: Path) -> Iterator[SourceRow]:
    for i, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, str(i), _clean(r["title"]), _clean(r["body"]),
                        {"label": r["ticket_type"], "category": r["category"], "repo": ""})


def _read_bitext(src: Source, root: Path) -> Iterator[SourceRow]:
    for i, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, str(i), "", _clean(r["utterance"]),
                        {"label": r["intent"], "category": r["category"], "repo": ""})


def _read_farsec(src: Source, root: Path) -> Iterator[SourceRow]:
    for _, r in _dict_rows(root, src.files[0]):
        yield SourceRow(src.name, f"{r['project']}:{r['bug_id']}", "", _clean(r["text"]),
                        {"label": r["label"], "repo": r["project"]})


SOURCES: dict[str, Source] = {s.name: s for s in [
    Source("nlbse24", "NLBSE'24 tool competition, GitHub issues of 5 projects (nlbse2024/issue-report-classification)",
           "unknown (empty LICENSE file)", "issue",
           (SourceFile("nlbse24-issues/issues_train.csv", "18dc42a30aa33dccadb723ad3baeb164d38bff521496f985ca2791c26b8939f5"),
            SourceFile("nlbse24-issues/issues_test.csv", "4f7d8619d4e5adbea126e548fd8c214449288f3a93bb3bc130c54cd307af7e85")),
           _read_nlbse),
    Source("inex", "InEx-Bug, intrinsic/extrinsic bugs in 103 NPM repositories (STASER-Lab)",
           "MIT", "issue",
           (SourceFile("inex-bug-npm/inex_v3.csv", "02f6c3d66e695ea8f402498487c1da06507f9ba1d23d83e754334a1ed8a05b47"),
            SourceFile("inex-bug-npm/inex_v1.csv", "b35c3e0bba9e50be17ec4dbba4f2c2a18d1334fb7b2c3820e81ba7b8c9239d4d")),
           _read_inex),
    Source("matomo", "matomo-org/matomo GitHub issues with their labels (TeamPML/GuthubSecurityIssues dump)",
           "unknown (no LICENSE file)", "issue",
           (SourceFile("github-security-issues-teampml/matomo/matomo_issues_labels.csv.gz",
                       "fe5291ed4406379d812b1a645b9fe583286e1811119ac0bdf0dec84312431166"),),
           _read_matomo),
    Source("teampml-security", "Security-labelled GitHub issues of 173 repositories (TeamPML/GuthubSecurityIssues)",
           "unknown (no LICENSE file)", "issue",
           (SourceFile("github-security-issues-teampml/security_issues.csv.gz",
                       "054cf6e7204380e9d10fcb87cc8e5dac6534d0a853ae5286274371cfc0116a9e"),),
           _read_teampml),
    Source("satd-commits", "Self-admitted technical debt in commit messages of 103 Apache projects (Li, Soliman & Avgeriou)",
           "MIT", "commit",
           (SourceFile("satd-li-soliman-avgeriou/four-sources/satd-dataset-commit_messages.csv",
                       "1784beb5f355d4be781e3eea232ab892740ae541bccad97abc695c3bf99a8c2f"),),
           _read_satd_commits),
    Source("tian-commits", "Why/what annotation of commit messages (commit-pattern-study, Tian et al. 2022)",
           "MIT", "commit",
           (SourceFile("commit-why-what-tian2022/train_set.csv", "0b28d8e7db0e13899d56395bcbccb2b67876862ab670d7b08b682732a5e124dd", "utf-8-sig"),
            SourceFile("commit-why-what-tian2022/test_set.csv", "b38165f6dda4d4aee71987faa4b041235c180ae5f79a949feaf3d8b8424bf24e", "utf-8-sig")),
           _read_tian),
    Source("levin-commits", "Levin & Yehudai 1,151 labelled commits (evidencebp/commit-classification, stas_labeling2)",
           "unknown (no LICENSE file)", "commit",
           (SourceFile("evidencebp-commit-classification/data/train/stas_labeling2.csv",
                       "9d0f4441dd2d29e46658ff466d19ab692a5e13be990374e3f3fa40cf00766fda", "latin-1"),),
           _read_levin),
    Source("evidencebp-commits", "Amit & Feitelson random GitHub commit sample (evidencebp/commit-classification)",
           "unknown (no LICENSE file)", "commit",
           (SourceFile("evidencebp-commit-classification/data/random_batch_18_nov_2020.csv.gz",
                       "fc5e0952d9699e72ee57a4d4aecd4a5f690b347131f1ad035c67f58cd386030f"),),
           _read_evidencebp_random),
    Source("hoenel-commits", "Hönel et al. labelled commits (MrShoenel/hmm-paper-2020-R-experiments)",
           "GPL-3.0", "commit",
           (SourceFile("hoenel-commits-acp/commits_t-0.csv", "a35f7d20b336f9fbe01018ccb1069e3a5ab6083557101beef8cba02787f330c7"),),
           _read_hoenel),
    Source("it-tickets", "IT incident tickets with assignment groups (GreatLearning capstone, SwamiKannan/Natural-Language-Processing)",
           "unknown (no LICENSE file)", "ticket",
           (SourceFile("it-ticket-assignment-greatlearning/tickets.csv.gz",
                       "d16ced0a8ab81cecafeaf0dec269b0906da65a9101f610e5363d387f854ecf4f"),),
           _read_it_tickets),
    Source("endava", "Endava help-desk tickets, anonymised and pre-processed (karolzak/support-tickets-classification)",
           "unknown for the data (code MIT)", "ticket",
           (SourceFile("endava-support-tickets-subset/all_tickets.csv",
                       "1c1fc94f38535af9de024006394449bf7fae987bff7c2f6f95fbdebdfb51238d"),),
           _read_endava),
    Source("bitext", "Bitext customer-service intent utterances (sample training set)",
           "CDLA-Sharing-1.0", "ticket",
           (SourceFile("bitext-customer-service-sample/bitext_customer_service_training.csv",
                       "1049853331bc3f2b994e92b5e593ec7e167ad93fb5dd4f2799bf8ea5bbd24a58"),),
           _read_bitext),
    Source("farsec", "FARSEC security and non-security bug reports of Apache projects and Chromium (fayola21/farsec)",
           "EPL-1.0", "issue",
           (SourceFile("farsec-security-bug-reports/farsec_all.csv.gz",
                       "b4a479d527e24b99fb27ab6dc2f9281453725d475d056058a3d2eb902b11c0ae"),),
           _read_farsec),
]}


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise IssuekindError("E103", f"unknown source '{name}'. Known sources: {', '.join(SOURCES)}.") from None
