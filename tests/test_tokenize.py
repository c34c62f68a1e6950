from issuekind.pipeline.tokenize import tokenize, tokenize_issues


def test_tokens_are_lowercase_words_without_punctuation():
    assert list(tokenize(["Can't SAVE files!"])) == [["ca", "n't", "save", "files"]]


def test_placeholders_survive_as_single_tokens():
    [tokens] = tokenize(["see xxurl and xxversion, please"])
    assert "xxurl" in tokens and "xxversion" in tokens


def test_title_length_counts_first_line_only():
    [(tokens, n)] = tokenize_issues(["Crash on save\nIt fails when I save a file."])
    assert tokens[:n] == ["crash", "on", "save"]
    [(tokens, n)] = tokenize_issues(["one line only"])
    assert n == len(tokens) == 3


def test_one_result_per_input_in_batches():
    texts = [f"issue {i}" for i in range(2500)] + ["", " \n "]
    out = list(tokenize(texts, batch_size=100))
    assert len(out) == len(texts) and out[7] == ["issue", "7"] and out[-1] == []


# -- the "issue" tokenizer --------------------------------------------------------------------

import random  # noqa: E402

import pytest  # noqa: E402

from issuekind.pipeline.normalize import normalize_blocks, placeholder  # noqa: E402
from issuekind.pipeline.tokenize import IssueTokenizer  # noqa: E402

TRICKY = [
    "Crash in src/app/main.py\nSince v2.1, saving fails (see #12).",
    "Can't open \"config.yaml\": foo.bar() returns None... e-mail me at a@b.com, or @bob!!",
    "WWW.EXAMPLE.COM and (https://x.org/a?b=1), ./.libs/libfoo.a, --password, [DROOLS-839]:",
    "GH-12 0xdeadbeef 12345 deadbeefcafe12 snake_case_name client-browser cross-language",
    "&lt;msg_box&gt; str_replace('{$name}', TCPDF->ImagePng(...) 'quoted' ``` x```",
    "Über naïve café — “quotes” «guillemets» 1.2.3-rc.1, (1.2.3). e.g. i.e. U.S.A.",
    "", "   \n  ", "\nbody without title", "!!! ??? ...",
    "\"../app/Tracker.php\"; './../login' (./build/unit_tests) .../Live/View.php foo() *bar* -x",
    "*'s '|'s App\\Plugin\\* \\App\\Plugin\\* Tools\\Packages\\ www.* (www.x.org), `a=b` &#12;",
    "ΟΔΟΣ İstanbul, (deadbeefcafe) 'abcdefabcd' \"Straße\" ǅemal ﬁle (((x))) \"' word...",
    "http://x.org/a?q=1 (http://x.org/b). http://x.org/c, `https://y.io/d` www.z.com/e' John's",
    "---------- +----+----+ (?!?!?). ... ==> <!-- -- | --- | ***, ~~~ ###",
]


def test_issue_tokens_are_terms_with_placeholders_and_a_title():
    [(terms, n)] = IssueTokenizer()(["Crash in src/app/main.py\nSince v2.1, saving fails (see #12)."])
    assert terms == ["crash", "in", "xxpath", "since", "xxversion", "saving", "fails", "see", "xxissue"]
    assert n == 3


@pytest.mark.parametrize("text", TRICKY)
def test_issue_tokenizer_equals_spacy_on_the_whole_text(text):
    tok = IssueTokenizer()
    assert tok([text]) == [tok.reference_terms(text)]


def test_issue_tokenizer_equals_spacy_on_real_issues(shared_datasets):
    from issuekind.datasets.sources import SOURCES

    rng = random.Random(0)
    texts = []
    for name in ("matomo", "nlbse24", "it-tickets", "satd-commits", "teampml-security"):
        rows = list(SOURCES[name].rows(shared_datasets))
        texts += [normalize_blocks(r.text) for r in rng.sample(rows, 300)]
    tok = IssueTokenizer()
    fast = tok(texts, batch_size=200)
    assert fast == [tok.reference_terms(t) for t in texts]


def test_gc_is_paused_inside_the_block_and_restored_after():
    import gc

    from issuekind.pipeline.gcpause import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner block restores what it found
    assert gc.isenabled()


def test_a_full_memory_is_cleared_without_changing_results():
    texts = [f"issue {i} in module_{i} at v1.{i}.0, see #{i}\nbody {i * 7}" for i in range(300)]
    small = IssueTokenizer(memo_size=50)
    assert small(texts, batch_size=20) == IssueTokenizer()(texts)
    assert len(small._memo) <= 50 + 20 * 8  # the words of one batch may be added to a full memory


def test_placeholder_names_whole_tokens_only():
    assert [placeholder(t) for t in ["https://x.org", "a@b.co", "lib/x/y", "1.2.3", "@ann",
                                     "#7", "0x1f", "1234", "12", "save", "abcdefabcdef"]] == [
        "xxurl", "xxemail", "xxpath", "xxversion", "xxmention", "xxissue", "xxhex", "xxnum",
        None, None, "xxhex"]


# -- words straight to term ids -------------------------------------------------------------

def _ids_by_terms(tok, texts, index):
    """term_ids the long way: the terms of each text, mapped through the index."""
    out = tok(texts)
    ids = [index.get(t, -1) for terms, _ in out for t in terms]
    return ids, [len(terms) for terms, _ in out], [n for _, n in out]


def _as_lists(result):
    return tuple(a.tolist() for a in result)


def test_term_ids_equal_the_terms_mapped_through_the_index():
    index = {"crash": 0, "xxpath": 1, "saving": 2, "xxissue": 3, "word": 4, "x": 5}
    tok = IssueTokenizer()
    assert _as_lists(tok.term_ids(TRICKY, index)) == _ids_by_terms(IssueTokenizer(), TRICKY, index)
    assert _as_lists(tok.term_ids([], index)) == ([], [], [])


def test_term_ids_with_a_small_memory_and_another_index_are_unchanged():
    texts = [f"issue {i} in module_{i} at v1.{i}.0, see #{i}\nbody {i * 7} of issue" for i in range(300)]
    one, two = {"issue": 0, "in": 1, "body": 2}, {"of": 0, "issue": 1, "xxissue": 2}
    small = IssueTokenizer(memo_size=50)
    for index in (one, two, one):  # each index gets its own ids, never the last one's
        got = _as_lists(small.term_ids(texts, index, batch_size=20))
        assert got == _ids_by_terms(IssueTokenizer(), texts, index)
        remembered = len(small._ids.young) + len(small._ids.old)
        assert remembered <= 2 * 50 + 20 * 20
        assert small._ids._n <= remembered  # the arrays keep only words still remembered


def test_term_ids_equal_the_terms_on_real_issues(shared_datasets):
    from issuekind.datasets.sources import SOURCES

    rng = random.Random(1)
    texts = []
    for name in ("matomo", "nlbse24", "farsec", "it-tickets", "satd-commits"):
        rows = list(SOURCES[name].rows(shared_datasets))
        texts += [normalize_blocks(r.text, 1500) for r in rng.sample(rows, 400)]
    words = sorted({w for t in texts for w in t.lower().split()})
    index = {w: i for i, w in enumerate(words[::3])}  # a third of the words are known terms
    index["xxurl"], index["xxpath"] = len(index), len(index) + 1
    got = _as_lists(IssueTokenizer(memo_size=3000).term_ids(texts, index, batch_size=300))
    assert got == _ids_by_terms(IssueTokenizer(), texts, index)
