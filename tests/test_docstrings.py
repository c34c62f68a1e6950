"""The examples in the public docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["issuekind", "issuekind.estimator", "issuekind.storage.registry", "issuekind.backlog",
           "issuekind.pipeline.normalize", "issuekind.pipeline.tokenize",
           "issuekind.pipeline.vectorize", "issuekind.report", "issuekind.thresholds",
           "issuekind.suggest", "issuekind.drift"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
