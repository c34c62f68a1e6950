import numpy as np

from issuekind.pipeline.vectorize import Vectorizer

DOCS = [(["app", "crashes", "on", "save"], 2), (["app", "crashes", "again"], 3),
        (["add", "dark", "mode"], 3)]


def test_word_and_title_ngrams_are_named_features():
    v = Vectorizer(min_df=1)
    feats = v.features(["app", "crashes", "on"], 2)
    assert "w:app crashes" in feats and "t:app crashes" in feats and "t:on" not in feats


def test_min_df_drops_rare_features():
    v = Vectorizer(min_df=2).fit(DOCS)
    assert set(v.vocabulary_) == {"w:app", "w:crashes", "w:app crashes",
                                  "t:app", "t:crashes", "t:app crashes"}


def test_rows_are_l2_normalised_and_unknown_text_is_empty():
    v = Vectorizer(min_df=1)
    X = v.fit_transform(DOCS)
    assert np.allclose(np.sqrt(X.multiply(X).sum(axis=1)).A.ravel(), 1.0)
    assert v.transform([(["zzz"], 1)]).nnz == 0


def test_char_ngrams_skip_placeholders():
    v = Vectorizer(char_ngrams=(3, 3), title_features=False)
    feats = v.features(["bug", "xxurl"], 0)
    assert "c: bu" in feats and not any("xxu" in f for f in feats if f.startswith("c:"))


def test_state_round_trip():
    v = Vectorizer(min_df=1).fit(DOCS)
    w = Vectorizer.from_state(v.get_config(), v.feature_names_, v.idf_)
    assert (v.transform(DOCS) != w.transform(DOCS)).nnz == 0


def test_integer_key_transform_equals_the_feature_string_lookup(small_model, sample):
    from collections import Counter

    from issuekind.pipeline.fitted import _analyze

    v = small_model.vectorizer_
    docs = list(_analyze(list(sample[0]) + ["", "unknown words only qqq"],
                         small_model.tokenizer))
    slow = v._to_matrix(Counter(v.features(t, n)) for t, n in docs)
    fast = v.transform(docs)
    assert v._ngram_lookup() is not None  # the fast path is the one measured
    assert (slow != fast).nnz == 0 and np.array_equal(slow.indices, fast.indices)


def test_trigram_and_no_title_keys_match_too():
    docs = [(["a", "b", "c", "d"], 2), (["b", "c", "d", "a"], 4), (["c", "x", "a", "b"], 0)]
    from collections import Counter

    for config in ({"word_ngrams": 3}, {"title_features": False}, {"word_ngrams": 1}):
        v = Vectorizer(min_df=1, **config).fit(docs)
        slow = v._to_matrix(Counter(v.features(t, n)) for t, n in docs)
        assert (slow != v.transform(docs)).nnz == 0


def test_key_table_finds_every_key_and_only_those():
    from issuekind.pipeline.vectorize import _KeyTable

    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(0, 2**40, size=50_000))
    table = _KeyTable(keys, np.arange(len(keys)))
    assert np.array_equal(table.get(keys), np.arange(len(keys)))
    others = np.setdiff1d(rng.integers(0, 2**40, size=50_000), keys)
    assert (table.get(others) == -1).all()
    # Small keys in a plain array, the rest hashed: queries of either kind, or mixed.
    keys = np.unique(np.concatenate([rng.integers(0, 1000, size=300), keys[:5000]]))
    table = _KeyTable(keys, np.arange(len(keys)), direct_below=1000)
    queries = np.concatenate([keys, np.arange(1000), others[:100]])
    expected = [int(np.searchsorted(keys, q)) if q in set(keys.tolist()) else -1 for q in queries]
    assert table.get(queries).tolist() == expected
    assert table.get(keys[keys < 1000]).tolist() == list(range(int((keys < 1000).sum())))


def test_term_id_transform_equals_the_token_transform(sample):
    import issuekind
    from issuekind.pipeline.fitted import _analyze
    from issuekind.pipeline.gcpause import gc_paused

    texts = list(sample[0]) + ["", "unknown words only qqq", "Title only", "\n\nbody only"]
    model = issuekind.load()
    assert model.tokenizer == "issue" and model.vectorizer_.term_index() is not None
    fast = model.transform_texts(texts)  # words straight to term ids
    with gc_paused():
        slow = model.vectorizer_.transform(_analyze(texts, model.tokenizer, model.max_chars))
    assert (slow != fast).nnz == 0 and np.array_equal(slow.indices, fast.indices)
    assert Vectorizer(char_ngrams=(2, 3)).term_index() is None  # no such path with char n-grams
