"""Arbitrary text never breaks a stage, and every input gets exactly one result."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuekind.pipeline.normalize import normalize
from issuekind.pipeline.tokenize import tokenize

any_text = st.text(alphabet=st.characters(codec=None, blacklist_categories=("Cs",)), max_size=400)
control_heavy = st.text(alphabet=st.sampled_from("\x00\x01\x07\x1b\x7f\u200b\ufeff\r\n\t`#@/.:-<>!x1 "),
                        max_size=400)
texts = st.one_of(any_text, control_heavy)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_normalize_never_fails(text):
    assert isinstance(normalize(text), str)


@FAST
@given(st.lists(texts, max_size=8))
def test_tokenize_gives_one_result_per_text(batch):
    assert len(list(tokenize(normalize(t) for t in batch))) == len(batch)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=6))
def test_predict_and_classify_give_one_result_per_text(small_model, batch):
    assert len(small_model.predict(batch)) == len(batch)
    assert len(small_model.classify(batch)) == len(batch)


@pytest.mark.parametrize("unit", ["a", "é ", "x/", "1.", "`", "<!--", "@a ", "#1 ", "\x00", "ab.cd@ef.gh "])
def test_one_megabyte_texts(small_model, unit):
    big = unit * (2**20 // len(unit.encode("utf-8")))
    assert len(small_model.predict([big, "ok"])) == 2
    assert len(small_model.classify([big])) == 1
