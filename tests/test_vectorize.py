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
