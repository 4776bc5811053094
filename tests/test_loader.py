"""The strict loader: every hostile or malformed input gets a clear, located message."""

from __future__ import annotations

import codecs
import time
import tracemalloc

import pytest
import yaml

from workbook.loader import Limits, load_bytes, load_text, resolve_plain
from workbook.problems import WorkbookError


def problem_of(raw: bytes | str, limits: Limits | None = None):
    data = raw.encode() if isinstance(raw, str) else raw
    with pytest.raises(WorkbookError) as caught:
        load_bytes(data, "w.yaml", limits or Limits())
    (problem,) = caught.value.problems
    return problem


def data_of(text: str):
    return load_text(text, "w.yaml").data


# --- scalars: YAML 1.2 words stay words --------------------------------------------

@pytest.mark.parametrize("text", ["no", "yes", "on", "off", "y", "n", "NO", "Off",
                                  "0123", "1:20", "2026-01-15", "0x1F", "1_000", ".inf",
                                  "12:30:00", "0o17", ".nan"])
def test_ambiguous_plain_scalars_stay_text(text):
    assert data_of(f"a: {text}\n") == {"a": text}


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("-3", -3), ("0", 0), ("2.5", 2.5),
                                             ("true", True), ("False", False), ("~", None),
                                             ("null", None), ("", None), ("1e3", 1000.0)])
def test_plain_scalars_that_are_values(text, value):
    assert resolve_plain(text) == value and type(resolve_plain(text)) is type(value)


def test_numbers_keep_their_source_text_for_string_fields():
    doc = load_text("a: 1.10\nb: 12\nc: text\nd:\n", "w.yaml")
    assert doc.data == {"a": 1.1, "b": 12, "c": "text", "d": None}
    assert doc.raw_scalars == {("a",): "1.10", ("b",): "12", ("d",): ""}


def test_quoted_scalars_are_always_text():
    assert data_of("a: '12'\nb: \"true\"\nc: 'null'\n") == {"a": "12", "b": "true", "c": "null"}


def test_huge_integers_do_not_raise():
    assert data_of("a: " + "9" * 5000 + "\n")["a"] == "9" * 5000


# --- structure ------------------------------------------------------------------------

def test_duplicate_keys_name_both_lines():
    problem = problem_of("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n")
    assert problem.code == "yaml.duplicate-key"
    assert (problem.line, problem.column) == (5, 3)
    assert "line 3" in problem.message and "line 5" in problem.message


def test_same_key_in_different_mappings_is_fine():
    assert data_of("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


def test_merge_keys_are_rejected_on_purpose():
    problem = problem_of("a: {x: 1}\nb:\n  <<: {y: 2}\n")
    assert problem.code == "yaml.merge-key" and problem.line == 3


def test_quoted_merge_key_is_just_a_word():
    assert data_of("'<<': 1\n") == {"<<": 1}


def test_anchors_and_aliases_are_rejected():
    assert problem_of("a: &x 1\nb: 2\n").code == "yaml.anchor"
    assert problem_of("a: *x\n").code in {"yaml.alias", "yaml.syntax"}


def test_billion_laughs_fails_fast_with_bounded_memory():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\n"
    tracemalloc.start()
    started = time.perf_counter()
    problem = problem_of(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem.code == "yaml.anchor" and problem.line == 1
    assert peak < 5_000_000 and elapsed < 2


@pytest.mark.parametrize(("text", "code"), [
    ("!!python/object/apply:os.system ['echo hi']\n", "yaml.tag"),
    ("a: !!python/object:builtins.dict {}\n", "yaml.tag"),
    ("a: !custom value\n", "yaml.tag"),
    ("a: !!str 12\n", "yaml.tag"),
    ("a: !!binary aGk=\n", "yaml.tag"),
])
def test_tags_are_rejected(text, code):
    assert problem_of(text).code == code


def test_python_tags_never_reach_python():
    # Even the C safe loader would refuse these; ours refuses before constructing anything.
    problem = problem_of("a: !!python/name:os.system\n")
    assert problem.code == "yaml.tag" and problem.line == 1 and "tag" in problem.message


@pytest.mark.parametrize(("text", "code"), [
    ("1: a\n", "yaml.key-not-text"),
    ("true: a\n", "yaml.key-not-text"),
    ("~: a\n", "yaml.key-not-text"),
    ("? [a, b]\n: c\n", "yaml.complex-key"),
    ("? {a: 1}\n: c\n", "yaml.complex-key"),
])
def test_non_text_keys_are_rejected(text, code):
    assert problem_of(text).code == code


@pytest.mark.parametrize(("text", "shape"), [("- a\n- b\n", "a list"),
                                             ("hello\n", "a single value"),
                                             ("42\n", "a single value")])
def test_top_level_must_be_a_mapping(text, shape):
    problem = problem_of(text)
    assert problem.code == "worksheet.not-mapping" and shape in problem.message


def test_multiple_documents_are_rejected():
    problem = problem_of("a: 1\n---\nb: 2\n")
    assert problem.code == "yaml.multiple-documents" and problem.line == 2


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n# another\n", "---\n", "--- ~\n",
                                  "\ufeff", "   \n"])
def test_empty_and_comment_only_files(text):
    problem = problem_of(text)
    assert problem.code == "worksheet.empty" and "empty" in problem.message


# --- limits ---------------------------------------------------------------------------

def test_depth_limit_stops_before_recursion():
    problem = problem_of("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problem.code == "limits.depth" and problem.line == 1


def test_deep_block_nesting_is_limited_too():
    text = "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v\n"
    assert problem_of(text).code == "limits.depth"


def test_size_limit_is_checked_before_parsing():
    problem = problem_of(b"a: " + b"x" * 200, Limits(max_bytes=100))
    assert problem.code == "limits.size" and "200" not in problem.message.replace("203", "")


def test_node_budget():
    text = "a: [" + ",".join(["1"] * 500) + "]\n"
    assert problem_of(text, Limits(max_nodes=100)).code == "limits.nodes"


# --- encodings ------------------------------------------------------------------------

def test_utf8_with_and_without_bom():
    assert load_bytes("a: café\n".encode(), "w").data == {"a": "café"}
    assert load_bytes(codecs.BOM_UTF8 + "a: café\n".encode(), "w").data == {"a": "café"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    text = "a: café\r\nb: 2\r\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-le":
        raw = codecs.BOM_UTF16_LE + raw
    elif encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    assert load_bytes(raw, "w").data == {"a": "café", "b": 2}


def test_latin1_is_rejected_with_offset_line_and_column():
    problem = problem_of("a: 1\nb: caf\u00e9\n".encode("latin-1"))
    assert problem.code == "encoding.invalid"
    assert (problem.line, problem.column) == (2, 7)
    assert "offset 11" in problem.message and "UTF-8" in problem.hint


def test_utf16_without_bom_gets_a_hint():
    problem = problem_of("a: 1\n".encode("utf-16-le"))
    assert problem.code == "encoding.control-character" and "UTF-16" in problem.hint


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f"])
def test_control_characters_are_located(char):
    problem = problem_of(f"a: 1\nb: x{char}y\n")
    assert problem.code == "encoding.control-character"
    assert (problem.line, problem.column) == (2, 5)
    assert "offset" in problem.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_each_character_is_refused_exactly_when_it_is_a_forbidden_control(encoding):
    from workbook.loader import _FORBIDDEN, decode

    for code in [*range(0, 0xA0), 0xFFFE, 0xFFFF]:
        text = f"a: 1\nb: x{chr(code)}y\n"
        try:
            decode(text.encode(encoding, "surrogatepass"), "w")
            refused = False
        except WorkbookError as error:
            refused = True
            assert error.problems[0].code == "encoding.control-character"
        assert refused == bool(_FORBIDDEN.search(text)), hex(code)


def test_crlf_line_endings_are_fine():
    assert load_bytes(b"a: 1\r\nb:\r\n  - x\r\n", "w").data == {"a": 1, "b": ["x"]}


def test_tab_indentation_gets_a_plain_words_hint():
    problem = problem_of("a:\n\tb: 1\n")
    assert problem.code == "yaml.syntax" and problem.line == 2
    assert "tab" in problem.hint.lower() and "spaces" in problem.hint


@pytest.mark.parametrize(("text", "needle"), [
    ("a: b: c\n", "double quotes"),
    ("a: \"unclosed\n", "quote"),
    ("a:\n  - x\n - y\n", "indentation"),
])
def test_syntax_errors_get_hints(text, needle):
    problem = problem_of(text)
    assert problem.code.startswith(("yaml.", "slip.")) and problem.line is not None
    assert needle in problem.hint


def test_positions_are_recorded_for_keys_and_items():
    doc = load_text("a: 1\nlist:\n  - x: 1\n    y: 2\n  - z\n", "w")
    assert doc.locate(("list", 0, "y")) == (4, 5)
    assert doc.locate(("list", 1)) == (5, 5)
    assert doc.locate(("list", 9, "q")) == (2, 1)


def test_global_loaders_are_untouched():
    before = dict(yaml.SafeLoader.yaml_implicit_resolvers)
    load_text("a: no\n", "w")
    assert yaml.safe_load("a: no\n") == {"a": False}
    assert yaml.SafeLoader.yaml_implicit_resolvers == before
