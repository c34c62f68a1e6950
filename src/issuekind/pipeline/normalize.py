"""Stage 1 of 4: issue-aware cleaning of raw issue text.

Issue trackers wrap the few words that say what an issue is about in boilerplate: template
headings and checklists, HTML comments, pasted logs and stack traces, code, links. Each of
those becomes one placeholder token (``xxcode``, ``xxtrace``, ``xxurl`` ...) or is dropped,
so that features describe the issue rather than its template. The placeholders keep the one
useful fact ("there was a stack trace here"), which matters: a trace is a strong sign of
``maintenance/corrective``.

Every pattern here is linear in the text length (no nested quantifiers), so a 1 MB paste
costs milliseconds, not minutes.
"""

from __future__ import annotations

import re

#: Placeholders, in the order they are applied. Tokenizers keep them as single tokens.
PLACEHOLDERS = ("xxcode", "xxtrace", "xxlog", "xxurl", "xxemail", "xxpath", "xxversion",
                "xxmention", "xxissue", "xxhex", "xxnum")

#: Texts longer than this are cut before cleaning unless told otherwise: the start of an
#: issue says what it is, and the cap keeps one pasted log from dominating a batch's time.
MAX_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FENCED_CODE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_INDENTED_CODE = re.compile(r"(?:^(?: {4}|\t)[^\n]*\n?){3,}", re.M)
_INLINE_CODE = re.compile(r"`[^`\n]{1,200}`")
_TRACE_LINE = re.compile(
    r"^[ \t]*(?:at [\w$.<>]+\(.*\)|at .+:\d+(?::\d+)?\)?|File \".+\", line \d+.*"
    r"|Traceback \(most recent call last\):?|Caused by: .*|\.\.\. \d+ more"
    r"|#\d+ +0x[0-9a-f]+ .*|[\w.$]+(?:Exception|Error)(?::.*)?$)[ \t]*$",
    re.M,
)
_LOG_LINE = re.compile(
    r"^[ \t]*\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?\S*\]?.*$"
    r"|^[ \t]*\[?(?:DEBUG|INFO|WARN|WARNING|ERROR|FATAL|TRACE)\]?[: ].*$",
    re.M,
)
_RUNS = re.compile(r"\bxx(code|trace|log)\b\s*(?:\bxx(?:code|trace|log)\b\s*)+")  # keep the first
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+[^\n]*$", re.M)
_CHECKBOX = re.compile(r"^[ \t]*[-*][ \t]*\[[ xX]?\][^\n]*$", re.M)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,200})\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>\n]{0,200}>")
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PATH = re.compile(
    r"(?<![\w.:~/\\-])(?:[A-Za-z]:\\|~?/)?(?:[\w.-]+[/\\]){2,}[\w.-]*"  # a/b/c, /usr/lib/x, C:\a\b
    r"|(?<![\w.-])[\w-]+\.(?:py|js|ts|tsx|jsx|java|php|rb|go|rs|c|h|cpp|cs|kt|swift|json|ya?ml|xml|toml|ini|cfg|conf|log|sh|dll|so|exe|jar|lock|md|txt|html|css)\b"
)
_VERSION = re.compile(r"\bv?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?\b")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9][\w-]{0,38}\b")
_ISSUE_REF = re.compile(r"(?<![\w.&/-])(?:[\w.-]+/[\w.-]+)?#\d+\b|\bGH-\d+\b")
_HEX = re.compile(r"\b(?:0x[0-9a-fA-F]+|[0-9a-f]{12,})\b")
_NUMBER = re.compile(r"\b\d{3,}\b")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize(text: str | None, max_chars: int = MAX_CHARS) -> str:
    """Clean one issue text for feature extraction.

    The first line stays the first line (it is taken as the title downstream). ``None`` and
    non-strings become ``""``.

    >>> normalize("Crash on save\\n```\\nTraceback...\\n```\\nSee https://x.org/a and #12")
    'Crash on save\\nxxcode\\nSee xxurl and xxissue'
    """
    text = _apply(text, _STEPS, max_chars)
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _first_of_run(match: re.Match) -> str:
    return f"xx{match.group(1)} "


def _inline_code(match: re.Match) -> str:
    # Short inline code is usually an identifier the sentence is about (`useEffect`,
    # `--force`); keep its words. Longer inline code is a snippet: a placeholder.
    inner = match.group(0)[1:-1]
    return f" {inner} " if len(inner) <= 30 and " " not in inner.strip() else " xxcode "


#: For substrings that most issues lack, the one character of each to look for first: a
#: scan for one character is several times faster than one for a longer substring, and
#: these characters are missing from most issues too (share of the benchmark's issues that
#: hold each: tab 3%, ``~`` 2%, backtick 9%, ``!`` 9%, ``]`` 18%, ``"`` 22%, ``E`` 34%,
#: ``B`` 30%, ``N`` 31%, ``F`` 33%). Other substrings are looked for as they are.
_GATES = {"<!--": "!", "```": "`", "~~~": "~", "\n\t": "\t", 'File "': '"', "Exception": "E",
          "Error": "E", "DEBUG": "B", "INFO": "N", "WARN": "N", "ERROR": "E", "FATAL": "F",
          "TRACE": "E", "![": "!", "](": "]"}


def _gated(steps):
    """The steps with each trigger substring as ``(character to look for first, substring)``."""
    return tuple((pattern, replacement, needs and tuple((_GATES.get(n, ""), n) for n in needs))
                 for pattern, replacement, needs in steps)


#: The cleaning steps, in order: blocks before lines before words, since a URL inside a
#: code block must vanish with the block, and a version inside a URL with the URL. Each step
#: names the substrings without which it cannot match (or None): most issues lack most kinds
#: of noise, and a substring test is far cheaper than a regex pass. (Indented code is three
#: indented lines, so at least two of them follow a newline.)
_STEPS = _gated((
    (_HTML_COMMENT, " ", ("<!--",)), (_FENCED_CODE, " xxcode\n", ("```", "~~~")),
    (_INDENTED_CODE, " xxcode\n", ("\n    ", "\n\t")), (_TRACE_LINE, " xxtrace ", ("at ", 'File "', "Traceback", "Caused by: ", " more", "#", "Exception", "Error")),
    (_LOG_LINE, " xxlog ", ("-", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "TRACE")), (_HEADING, "", ("#",)), (_CHECKBOX, "", ("[",)),
    (_MD_IMAGE, " ", ("![",)), (_MD_LINK, r"\1", ("](",)), (_HTML_TAG, " ", ("<",)),
    (_URL, " xxurl ", ("://", "www.", "WWW.")), (_EMAIL, " xxemail ", ("@",)),
    (_INLINE_CODE, _inline_code, ("`",)), (_PATH, " xxpath ", ("/", "\\", ".")),
    (_VERSION, " xxversion ", (".",)), (_MENTION, " xxmention ", ("@",)),
    (_ISSUE_REF, " xxissue ", ("#", "GH-")), (_HEX, " xxhex ", None), (_NUMBER, " xxnum ", None),
    (_RUNS, _first_of_run, ("xx",)), (_SPACES, " ", None), (_BLANK_LINES, "\n", ("\n",)),
))


#: The word-level steps: each replaces one word-like span (a URL, a path, a number ...) by its
#: placeholder. ``normalize`` runs them over the whole text; the ``issue`` tokenizer instead
#: asks :func:`placeholder` once per distinct token, which is far cheaper on big backlogs.
_PLACEHOLDER_OF = ((_URL, "xxurl"), (_EMAIL, "xxemail"), (_PATH, "xxpath"),
                   (_VERSION, "xxversion"), (_MENTION, "xxmention"), (_ISSUE_REF, "xxissue"),
                   (_HEX, "xxhex"), (_NUMBER, "xxnum"))
_WORD_PATTERNS = {pattern for pattern, _ in _PLACEHOLDER_OF}
_BLOCK_STEPS = tuple(step for step in _STEPS
                     if step[0] not in _WORD_PATTERNS and step[0] not in (_SPACES, _BLANK_LINES))

#: ``normalize_blocks`` cuts texts at this length unless told otherwise (a model's
#: ``max_chars``): the words that say what an issue is come first, and most of a very long
#: issue is pasted output.
BLOCK_MAX_CHARS = 4_000


def normalize_blocks(text: str | None, max_chars: int = BLOCK_MAX_CHARS) -> str:
    """The block-level part of :func:`normalize`, for the ``issue`` tokenizer.

    Comments, code blocks, stack traces, log lines, template headings, checklists, markup
    and inline code are handled as in :func:`normalize`; words (URLs, paths, versions,
    numbers ...) are left for :func:`placeholder`, and whitespace is left as it is. The text
    is cut at ``max_chars`` characters first.

    >>> normalize_blocks("Crash on save\\n```\\nTraceback...\\n```\\nSee #12")
    'Crash on save\\n xxcode\\n\\nSee #12'
    """
    return _apply(text, _BLOCK_STEPS, max_chars)


def _apply(text: str | None, steps, max_chars: int) -> str:
    """Cut, drop control characters, unify line ends, then run each step whose trigger
    substrings occur in the text (each looked for after its gate character; the empty gate
    ``""`` lets every text through)."""
    if not isinstance(text, str):
        return ""
    text = _CONTROL.sub(" ", text[:max_chars]).replace("\r\n", "\n").replace("\r", "\n")
    for pattern, replacement, needs in steps:
        if needs is not None:
            for gate, needle in needs:  # (a loop here costs less than any(map(...)) per step)
                if gate in text and needle in text:
                    break
            else:
                continue
        text = pattern.sub(replacement, text)
    return text



#: All of them as one pattern, each with its own case rule: it matches a whole token exactly
#: where one of them does.
_ANY_PLACEHOLDER = re.compile("|".join(f"(?{'i' if p.flags & re.I else ''}:{p.pattern})"
                                       for p, _ in _PLACEHOLDER_OF)).fullmatch


def placeholder(token: str) -> str | None:
    """The placeholder a whole token stands for, or ``None`` when it is an ordinary word.

    >>> [placeholder(t) for t in ["https://x.org/a", "v1.2.3", "src/app/main.py", "#12", "save"]]
    ['xxurl', 'xxversion', 'xxpath', 'xxissue', None]
    """
    if token.isalnum():
        # Only a hex string or a number can be letters and digits alone; most words are.
        if token.isalpha() and len(token) < 12:
            return None
        return "xxhex" if _HEX.fullmatch(token) else "xxnum" if _NUMBER.fullmatch(token) else None
    if _ANY_PLACEHOLDER(token) is None:  # one match attempt for most tokens, not eight
        return None
    for pattern, name in _PLACEHOLDER_OF:
        if pattern.fullmatch(token):
            return name
    return None


def title_of(text: str) -> str:
    """The title of a normalized issue text: its first line."""
    return text.split("\n", 1)[0]
