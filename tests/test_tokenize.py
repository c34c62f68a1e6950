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
