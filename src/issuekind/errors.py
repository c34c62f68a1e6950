"""issuekind's one error type: a code and a message that says what to do next."""

from __future__ import annotations


class IssuekindError(Exception):
    """An error the user can act on.

    ``code`` is stable (``E1xx`` data, ``E2xx`` models, ``E3xx`` input files, ``E4xx``
    arguments) so that scripts and documentation can refer to it; the message names the
    file, row, column or model concerned and what to do.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message
