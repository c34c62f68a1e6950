"""How each public source's own labels map to our seven labels: the one reviewed place.

Each mapping below was decided after reading real rows of the source (see the notes on each
function) against ``LABELING.md``. Mapped labels are *weak*: they follow the source
authors' taxonomy, which never matches ours exactly. Where a source label splits across
ours, a small keyword rule picks the side, and the rule's name is recorded with the row, so
a corpus always says how each label was obtained. Rows that do not map cleanly are dropped
(``None``) rather than guessed.

| source | their label | ours | why |
|---|---|---|---|
| nlbse24 | bug | corrective | reports of defects, mostly with reproductions |
| nlbse24 | feature | perfective; adaptive if it asks to follow a new platform/version | |
| nlbse24 | question | support/l2 if about install/build/config/errors, else support/l1 | how-to vs own-setup help |
| inex | Intrinsic | corrective | root cause inside the repository |
| inex | Extrinsic | adaptive | the repository must follow an outside change |
| matomo | answered, worksforme, server config | support/l2 if setup words, else support/l1 | user questions answered by the team |
| matomo | c: Tests & QA | preventive | tests and QA tooling |
| matomo | Bug, Regression | corrective; adaptive if caused by a new PHP/MySQL/browser version or deprecation | |
| matomo | Enhancement, c: Performance, c: Usability | perfective | |
| satd-commits | code/design/test/architecture debt | preventive | commits that admit or repay debt |
| tian-commits | fix defects / error scenario | corrective | |
| tian-commits | environment change / out of date / version management | adaptive | |
| tian-commits | improvements / usage need / implemented feature | perfective | |
| tian-commits | refactoring / test cases / conventions | preventive | |
| levin-, hoenel-commits | c / a / p | corrective / perfective (adaptive by keywords) / preventive | their "adaptive" means new feature, their "perfective" non-functional change |
| evidencebp-commits | only Is_Corrective / Is_Adaptive / Is_Refactor true | corrective / perfective (adaptive by keywords) / preventive | same flipped naming |
| it-tickets | GRP_0 (service desk) | support/l1 | password resets, access, how-to |
| it-tickets | other groups | support/l3 if an outage/failing job/down, else support/l2 | escalated groups |
| endava | ticket_type 1 / 0 | support/l1 / support/l2 | requests vs incidents |
| bitext | every intent | support/l1 | account, order and billing questions |
"""

from __future__ import annotations

import re
from typing import Callable

from issuekind.datasets.sources import SourceRow

Mapped = tuple[str, str] | None  # (label, rule) or None for "does not map"

ADAPTIVE_WORDS = re.compile(
    r"\b(?:deprecat\w*|php ?[78](?:\.\d+)?|python ?3\.\d+|node(?:\.?js)? ?v?\d{2}|mysql ?8"
    r"|upgrad\w+|migrat\w+|in-range update|compatib\w+|no longer (?:works|supported)"
    r"|support (?:for )?(?:python|node|php|java|ios|android|windows|macos|linux|arm)"
    r"|(?:ios|android|chrome|firefox|safari|windows|macos) ?\d+|apple silicon|arm64|bump\w*)\b",
    re.I,
)
SETUP_WORDS = re.compile(
    r"\b(?:install\w*|build\w*|compil\w+|config\w*|setup|set up|docker|proxy|nginx|apache"
    r"|ssl|certificate|server|environment|permission\w*|error\w*|fail\w*|undefined reference"
    r"|import\w*|cannot|can't|doesn't work|not working)\b",
    re.I,
)
OUTAGE_WORDS = re.compile(
    r"\b(?:down|outage|not responding|unreachable|abend\w*|job\b.*\bfailed|failed\b.*\bjob"
    r"|production|urgent|critical|crash\w*|data loss|corrupt\w*|all users|halted|hung)\b",
    re.I,
)

M = "maintenance/"
S = "support/"


def _nlbse(row: SourceRow) -> Mapped:
    label = row.raw["label"]
    if label == "bug":
        return M + "corrective", "bug"
    if label == "feature":
        if ADAPTIVE_WORDS.search(row.title):
            return M + "adaptive", "feature+adaptive-words-in-title"
        return M + "perfective", "feature"
    if label == "question":
        if SETUP_WORDS.search(row.text):
            return S + "l2", "question+setup-words"
        return S + "l1", "question"
    return None


def _inex(row: SourceRow) -> Mapped:
    return {"Intrinsic": (M + "corrective", "Intrinsic"),
            "Extrinsic": (M + "adaptive", "Extrinsic")}.get(row.raw["label"])


def _matomo(row: SourceRow) -> Mapped:
    labels = set(row.raw["labels"].split(";"))
    if labels & {"answered", "worksforme", "Likely a server config issue"}:
        if labels & {"Bug", "Enhancement", "Regression"}:
            return None  # a question that turned out to be a change: ambiguous
        if SETUP_WORDS.search(row.text):
            return S + "l2", "answered+setup-words"
        return S + "l1", "answered"
    if labels & {"duplicate", "invalid", "wontfix"}:
        return None
    if "c: Tests & QA" in labels:
        return M + "preventive", "c: Tests & QA"
    if labels & {"Bug", "Regression"}:
        if ADAPTIVE_WORDS.search(row.title):
            return M + "adaptive", "bug+adaptive-words-in-title"
        return M + "corrective", "Bug"
    if labels & {"Enhancement", "c: Performance", "c: Usability"}:
        return M + "perfective", "Enhancement"
    return None


def _satd(row: SourceRow) -> Mapped:
    if row.raw["label"] in ("code_debt", "design_debt", "test_debt", "architecture_debt"):
        return M + "preventive", row.raw["label"]
    return None


_TIAN = {
    "to fix defects": "corrective", "describe error scenario": "corrective",
    "runtime or development environment change": "adaptive", "out of date": "adaptive",
    "version management": "adaptive",
    "to make improvements": "perfective", "improvements and benefits": "perfective",
    "usage need": "perfective", "relation to an implemented feature": "perfective",
    "code refactoring": "preventive", "test cases": "preventive",
    "conventions and standards": "preventive",
}


def _tian(row: SourceRow) -> Mapped:
    leaf = _TIAN.get(row.raw["label"].strip().lower())
    return (M + leaf, row.raw["label"].strip()) if leaf else None


def _acp(code: str, row: SourceRow) -> Mapped:
    # Levin/Mockus-Votta naming: a = new functionality, p = non-functional change.
    if code == "c":
        return M + "corrective", "c"
    if code == "a":
        if ADAPTIVE_WORDS.search(row.text):
            return M + "adaptive", "a+adaptive-words"
        return M + "perfective", "a"
    if code == "p":
        return M + "preventive", "p"
    return None


def _levin(row: SourceRow) -> Mapped:
    return _acp(row.raw["label"].strip(), row)


def _evidencebp(row: SourceRow) -> Mapped:
    true = {k for k in ("Is_Corrective", "Is_Adaptive", "Is_Refactor", "Is_Perfective")
            if row.raw[k].strip().upper() == "TRUE"}
    if true == {"Is_Corrective"}:
        return _acp("c", row)
    if true == {"Is_Adaptive"}:
        return _acp("a", row)
    if true in ({"Is_Refactor"}, {"Is_Refactor", "Is_Perfective"}):
        return M + "preventive", "Is_Refactor"
    return None


def _it_tickets(row: SourceRow) -> Mapped:
    if row.raw["label"] == "GRP_0":
        return S + "l1", "GRP_0"
    if OUTAGE_WORDS.search(row.text):
        return S + "l3", "other-group+outage-words"
    return S + "l2", "other-group"


def _endava(row: SourceRow) -> Mapped:
    return {"1": (S + "l1", "ticket_type=1"), "0": (S + "l2", "ticket_type=0")}.get(row.raw["label"])


def _bitext(row: SourceRow) -> Mapped:
    return S + "l1", "intent=" + row.raw["label"]


MAPPINGS: dict[str, Callable[[SourceRow], Mapped]] = {
    "nlbse24": _nlbse,
    "inex": _inex,
    "matomo": _matomo,
    "satd-commits": _satd,
    "tian-commits": _tian,
    "levin-commits": _levin,
    "hoenel-commits": lambda row: _acp(row.raw["label"].strip(), row),
    "evidencebp-commits": _evidencebp,
    "it-tickets": _it_tickets,
    "endava": _endava,
    "bitext": _bitext,
}


#: One line per source for `issuekind datasets list`; the table above has the reasons.
SUMMARIES: dict[str, str] = {
    "nlbse24": "bug -> corrective; feature -> perfective (adaptive by keywords); question -> l1/l2",
    "inex": "Intrinsic -> corrective; Extrinsic -> adaptive; Not a Bug dropped",
    "matomo": "Bug -> corrective/adaptive; Enhancement -> perfective; Tests & QA -> preventive; answered -> l1/l2",
    "satd-commits": "code/design/test/architecture debt -> preventive",
    "tian-commits": "why-subcategory -> corrective/adaptive/perfective/preventive",
    "levin-commits": "c -> corrective; a -> perfective/adaptive; p -> preventive",
    "hoenel-commits": "c -> corrective; a -> perfective/adaptive; p -> preventive",
    "evidencebp-commits": "single Is_Corrective/Is_Adaptive/Is_Refactor -> corrective/perfective/preventive",
    "it-tickets": "GRP_0 -> l1; other groups -> l3 if an outage, else l2",
    "endava": "ticket_type 1 -> l1; 0 -> l2",
    "bitext": "every intent -> l1",
}


def map_row(row: SourceRow) -> Mapped:
    """Our label for a public row and the rule that gave it, or ``None`` if it does not map."""
    mapping = MAPPINGS.get(row.source)
    return mapping(row) if mapping else None
