from issuekind.pipeline.normalize import MAX_CHARS, normalize, title_of

BUG_TEMPLATE = """Crash when exporting a report to PDF
<!-- Please fill in the template below -->
### Describe the bug
Exporting fails since v2.4.1, see https://example.org/reports/12 and #481.
- [x] I searched existing issues
```
Traceback (most recent call last):
  File "export.py", line 88, in render
ValueError: page size
```
cc @alice, logs in /var/log/app/export.log, mail ops@example.org
"""


def test_title_stays_first_line():
    assert title_of(normalize(BUG_TEMPLATE)) == "Crash when exporting a report to PDF"


def test_template_boilerplate_is_dropped():
    out = normalize(BUG_TEMPLATE)
    assert "Please fill in" not in out          # HTML comment
    assert "Describe the bug" not in out        # template heading
    assert "searched existing issues" not in out  # checklist line


def test_each_kind_of_noise_becomes_its_placeholder():
    out = normalize(BUG_TEMPLATE)
    for token in ("xxcode", "xxversion", "xxurl", "xxissue", "xxmention", "xxpath", "xxemail"):
        assert token in out, token
    assert "Traceback" not in out and "export.py" not in out


def test_unfenced_stack_trace_and_log_lines():
    text = ("NPE on save\nException in thread main\n"
            "java.lang.NullPointerException: name\n"
            "    at com.acme.Saver.save(Saver.java:42)\n"
            "    at com.acme.Main.main(Main.java:7)\n"
            "2024-03-01 10:22:13 ERROR saver failed\nPlease fix")
    out = normalize(text)
    assert "xxtrace" in out and "Saver.java" not in out
    assert "saver failed" not in out and out.endswith("Please fix")


def test_short_inline_code_keeps_its_word():
    assert normalize("`useEffect` runs twice") == "useEffect runs twice"
    assert "xxcode" in normalize("run `pip install foo --upgrade --user now` first")


def test_plain_prose_is_kept():
    assert normalize("How do I reset my password?") == "How do I reset my password?"


def test_non_text_and_control_characters():
    assert normalize(None) == ""
    assert normalize(42) == ""
    assert "\x00" not in normalize("a\x00b\x1bc")


def test_long_text_is_capped():
    assert len(normalize("word " * 100_000)) <= MAX_CHARS


def test_each_step_is_gated_by_a_character_of_its_trigger():
    # A gate is looked for before its substring; it must be a character of that substring,
    # or a text holding the substring would skip its step.
    from issuekind.pipeline.normalize import _GATES, _STEPS

    assert all(len(gate) == 1 and gate in needle for needle, gate in _GATES.items())
    gated = {needle: gate for _, _, needs in _STEPS for gate, needle in needs or ()}
    assert set(_GATES) <= set(gated)
    assert all(gate in needle for needle, gate in gated.items())
