"""One contract: the YAML language server and `workbook check` agree on every worksheet.

The language server (npm ``yaml-language-server``) is what VS Code's YAML extension
runs: it reads a worksheet's first line, fetches the published schema and marks
errors as the learner types. A learner must never see a clean editor and a refusing
checker, or the other way round. So this test drives the real server, installed
under node_modules/, over every example, every blank worksheet and a set of slips
made on purpose (a wrong choice, a wrong type, a missing or unknown field, an empty
answer...), and asserts the server reports an error exactly when the checker does.

The client speaks the Language Server Protocol over stdio, as an editor does. The
worksheets' first line points at the published site, which tests cannot reach; like
VS Code, the client announces ``yaml/registerContentRequest`` and answers the
server's ``vscode/content`` requests itself, with the schema files of this checkout.
The documents are the files' own bytes, first line included.

The checker is deliberately stricter than the editor in a few places; those are the
``STRICTER_THAN_EDITOR`` problem codes below, each with its reason, and
``EDITOR_STRICTER`` lists the one way the editor is stricter. Anything else that
differs fails here.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbook.catalog import Catalog, Exercise
from workbook.checking import choices, validate
from workbook.loader import load_bytes
from workbook.problems import WorkbookError
from workbook.worksheet import SCORED, check_path

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
EXAMPLES = sorted((ROOT / "exercises").glob("*/examples/*.yaml"))
BLANKS = sorted((ROOT / "exercises").glob("*/worksheet.yaml"))
ERROR = 1  # LSP DiagnosticSeverity.Error; warnings and hints are style, not verdicts

# Loader refusals the editor does not make, on purpose: the checker refuses what
# YAML allows but a worksheet must not use (see workbook/loader.py).
STRICTER_THAN_EDITOR = {
    "yaml.anchor": "anchors (&name) are refused, to bound what a file can expand to; "
                   "so is an answer starting with &",
    "yaml.alias": "aliases (*name) are refused for the same reason",
    "yaml.tag": "tags such as !!str are refused: a worksheet holds plain answers only",
    "yaml.merge-key": "merge keys (<<) are refused: fields are written out in full",
    "yaml.multiple-documents": "a second document after --- is refused: one worksheet a file",
    "encoding.control-character": "control characters pasted from other programs are refused",
    "slip.hash-answer": "`name: #1 fan` is an empty answer and a comment to YAML; the checker "
                        "names the slip rather than let the answer vanish",
    "paste.curly-key": "a field name in curly quotes is named as the pasted slip it is, "
                       "before the schema would call it an unknown field",
}
# Where the editor is the stricter one: YAML reads `field: 1984` as a number, and
# the schema wants text there; the checker takes the digits as the text the learner
# typed, so only the editor marks it (quoting the answer satisfies both). The one
# text answer where digits are expected, the learner's student number (`id: 20480`),
# allows a number in the schema, so there the two agree.
EDITOR_STRICTER = "a number written where text is wanted"

# Slips typed into a text editor, each a change to contact-inventory's full example:
# (what, the text replaced, its replacement).
_ANSWER = "    next_action: call on Sunday to ask about the IT lead\n"
_ITEM = "  - name: Tom Lindqvist\n"
TYPED_SLIPS = [
    ("an anchor and an alias", "  - name: Grace Okafor\n", "  - name: &g Grace Okafor\n"),
    ("a tag", _ANSWER, "    next_action: !!str call on Sunday\n"),
    ("an unknown tag", _ANSWER, "    next_action: !python/object call\n"),
    ("a merge key", _ITEM, "  - <<: {name: Tom}\n    name: Tom Lindqvist\n"),
    ("a second document", "    gatekeeper: false\n  - name: Tom",
     "    gatekeeper: false\n---\ncontacts:\n  - name: Tom"),
    ("a tab in the indentation", _ANSWER, "\tnext_action: call on Sunday\n"),
    ("a control character", _ANSWER, "    next_action: call\x07 on Sunday\n"),
    ("no space after the colon", _ANSWER, "    next_action:call on Sunday\n"),
    ("an answer wrapped at the key's column", _ANSWER,
     "    next_action: call on Sunday to ask\n    about the IT lead\n"),
    ("an answer wrapped further in", _ANSWER,
     "    next_action: call on Sunday to ask\n      about the IT lead\n"),
    ("a colon in an answer", _ANSWER, "    next_action: ask: about the IT lead\n"),
    ("curly quotes around a colon", _ANSWER,
     "    next_action: \u201cask: about the IT lead\u201d\n"),
    ("an answer starting with *", _ANSWER, "    next_action: *call on Sunday\n"),
    ("an answer starting with &", _ANSWER, "    next_action: &call on Sunday\n"),
    ("an answer starting with @", _ANSWER, "    next_action: @Grace on Sunday\n"),
    ("an answer starting with %", _ANSWER, "    next_action: %20 more calls\n"),
    ("an answer starting with !", _ANSWER, "    next_action: ! call now\n"),
    ("an answer starting with a backtick", _ANSWER, "    next_action: `call` on Sunday\n"),
    ("an answer starting with [", _ANSWER, "    next_action: [call] Sunday\n"),
    ("a # inside an answer", _ANSWER, "    next_action: call #1 on Sunday\n"),
    ("a # starting an answer", _ANSWER, "    next_action: #1 call on Sunday\n"),
    ("curly quotes around a field name", _ANSWER, "    \u201cnext_action\u201d: call on Sunday\n"),
    ("a comment after an answer", _ANSWER, "    next_action: call on Sunday # or Monday\n"),
    ("non-breaking spaces as indentation", _ANSWER,
     "\u00a0\u00a0\u00a0\u00a0next_action: call on Sunday\n"),
    ("an en dash for the list's hyphen", _ITEM, "  \u2013 name: Tom Lindqvist\n"),
    ("an em dash for the list's hyphen", _ITEM, "  \u2014 name: Tom Lindqvist\n"),
    ("an unclosed quote", _ANSWER, '    next_action: "call on Sunday\n'),
    ("a field indented too little", _ANSWER, "   next_action: call on Sunday\n"),
    ("a field indented too far", _ANSWER, "      next_action: call on Sunday\n"),
    ("a number as a field name", _ANSWER, "    12: call on Sunday\n"),
    ("a set of fields as an answer", _ANSWER, "    next_action: {call: Sunday}\n"),
    ("a block of text as an answer", _ANSWER,
     "    next_action: |\n      call on Sunday\n      and ask\n"),
    ("yes as text", _ANSWER, "    next_action: yes\n"),
    ("null as an answer", _ANSWER, "    next_action: null\n"),
    ("a date-like answer", _ANSWER, "    next_action: 2026-12-07\n"),
    ("True for true", "    gatekeeper: false\n", "    gatekeeper: True\n"),
    ("yes for true", "    gatekeeper: false\n", "    gatekeeper: yes\n"),
    ("a student number without quotes", '  id: "20480"\n', "  id: 20480\n"),
    ("a student number with a leading zero", '  id: "20480"\n', "  id: 020480\n"),
]


# --- a minimal LSP client -----------------------------------------------------------------

class LanguageServer:
    """One yaml-language-server process, spoken to over stdio like an editor would."""

    def __init__(self, schemas: dict[str, str]) -> None:
        self.schemas = schemas  # published URL -> schema text served for it
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=ROOT)
        self.lock = threading.Condition()
        self.responses: dict[int, Any] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.served: set[str] = set()
        self.last_id = 0
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def _read_loop(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is not None:
                self._handle(json.loads(stream.read(length)))

    def _handle(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method is not None and "id" in message:  # the server asks the client
            result: Any = None
            if method == "vscode/content":
                params = message["params"]
                url = params[0] if isinstance(params, list) else params
                if url not in self.schemas:
                    self._send({"id": message["id"],
                                "error": {"code": -32603, "message": f"not served: {url}"}})
                    return
                self.served.add(url)
                result = self.schemas[url]
            self._send({"id": message["id"], "result": result})
            return
        with self.lock:
            if method == "textDocument/publishDiagnostics":
                params = message["params"]
                self.diagnostics[params["uri"]] = params["diagnostics"]
            elif "id" in message:
                self.responses[message["id"]] = message
            self.lock.notify_all()

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self.last_id += 1
        number = self.last_id
        self._send({"id": number, "method": method, "params": params})
        with self.lock:
            if not self.lock.wait_for(lambda: number in self.responses, timeout):
                raise TimeoutError(f"no answer to {method}")
            return self.responses.pop(number).get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def start(self) -> None:
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": None, "workspaceFolders": None,
            "capabilities": {"textDocument": {
                "publishDiagnostics": {},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {"completionItem": {"documentationFormat": ["markdown"]}}}},
        })
        self.notify("initialized", {})
        self.notify("yaml/registerContentRequest", None)
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
            "validate": True, "hover": True, "completion": True, "yamlVersion": "1.2",
            "schemaStore": {"enable": False}, "format": {"enable": False}}}})

    def diagnose(self, documents: dict[str, str], timeout: float = 60) -> dict[str, list[Any]]:
        """Open every document at once, then wait for each one's diagnostics."""
        with self.lock:
            for uri in documents:
                self.diagnostics.pop(uri, None)
        for uri, text in documents.items():
            self.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        with self.lock:
            done = self.lock.wait_for(lambda: all(u in self.diagnostics for u in documents),
                                      timeout)
            assert done, f"no diagnostics for {[u for u in documents if u not in self.diagnostics]}"
            found = {uri: self.diagnostics.pop(uri) for uri in documents}
        for uri in documents:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return found

    def hover(self, uri: str, text: str, line: int, character: int) -> str:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        result = self.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        return str(result["contents"]["value"]) if result else ""

    def stop(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def editor(catalog: Catalog) -> Iterator[LanguageServer]:
    missing = ("node_modules/yaml-language-server (run `npm ci`)" if not SERVER.exists()
               else "Node.js (`node`)" if shutil.which("node") is None else "")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing} is missing: the editor agreement test must run")
        pytest.skip(f"{missing} is missing: the editor agreement test needs it")
    schemas = {str(e.schema["$id"]): e.schema_path.read_text(encoding="utf-8")
               for e in catalog.exercises.values()}
    server = LanguageServer(schemas)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- what the checker says ------------------------------------------------------------------

def checker_verdict(text: str, catalog: Catalog) -> tuple[bool, set[str]]:
    """(valid, problem codes) from the loader and the schema step of `workbook check`.

    The schema step runs on blank worksheets too, which `workbook check` reports as
    "still blank" before checking them: the editor checks them as they are.
    """
    try:
        doc = load_bytes(text.encode("utf-8"), "worksheet.yaml")
    except WorkbookError as error:
        return False, {p.code for p in error.problems}
    exercise = catalog.get(str(doc.data.get("exercise")))
    assert exercise is not None, "every document here names its exercise"
    _, problems = validate(doc, exercise.validator, exercise.fast_validate)
    return not problems, {p.code for p in problems}


def editor_errors(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [f"{d['range']['start']['line'] + 1}: {d['message']}" for d in diagnostics
            if d.get("severity", ERROR) == ERROR]


# --- slips made on purpose --------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Writes None as nothing after the colon (`next_action:`), the way learners leave
    an answer empty, rather than PyYAML's `null`."""


_Dumper.add_representer(type(None), lambda dumper, _: dumper.represent_scalar(
    "tag:yaml.org,2002:null", ""))


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _answers(schema: dict[str, Any], node: Any, data: Any,
             path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every (path, schema node) of the data, parents before children."""
    node = _resolve(schema, node)
    yield path, node
    if isinstance(data, dict):
        for name, value in data.items():
            child = node.get("properties", {}).get(name)
            if child is not None:
                yield from _answers(schema, child, value, (*path, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _answers(schema, node.get("items", {}), value, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


Slip = Callable[[Any], None]


def slips(exercise: Exercise, data: Any) -> Iterator[tuple[str, Slip]]:
    """Named changes to a valid worksheet's data, one of each kind the schema allows."""
    schema = dict(exercise.schema)
    seen: set[str] = set()

    def once(kind: str) -> bool:
        fresh = kind not in seen
        seen.add(kind)
        return fresh

    for path, node in _answers(schema, schema, data):
        if not path or path[0] in ("exercise", "version"):
            continue
        types = _types(node)
        where = ".".join(str(p) for p in path)
        labelled = choices(node)
        if labelled is not None:
            code = str(labelled[0][0])
            if once("choice"):
                yield f"{where}: a choice in the wrong case", \
                    lambda d, p=path, c=code: _set(d, p, c.swapcase())
                yield f"{where}: a choice left empty", lambda d, p=path: _set(d, p, None)
                yield f"{where}: a choice written as a list", \
                    lambda d, p=path, c=code: _set(d, p, [c])
        elif types == ["string"] and once("required text"):
            yield f"{where}: a required answer left empty", lambda d, p=path: _set(d, p, None)
            yield f"{where}: a required answer as empty quotes", lambda d, p=path: _set(d, p, "")
        elif "string" in types and "pattern" in node and once("date"):
            yield f"{where}: a date written 12/07/2026", \
                lambda d, p=path: _set(d, p, "12/07/2026")
            yield f"{where}: a date left empty", lambda d, p=path: _set(d, p, None)
        elif "string" in types and "null" in types and once(
                "text in a list" if any(isinstance(p, int) for p in path) else "text"):
            yield f"{where}: an optional answer left empty", lambda d, p=path: _set(d, p, None)
            yield f"{where}: an answer written as a list", \
                lambda d, p=path: _set(d, p, ["first", "second"])
            yield f"{where}: an answer indented as fields", \
                lambda d, p=path: _set(d, p, {"nested": "x"})
            if "maxLength" in node:
                yield f"{where}: an answer too long", \
                    lambda d, p=path, n=node["maxLength"]: _set(d, p, "x" * (n + 1))
        elif "boolean" in types and once("boolean"):
            yield f"{where}: yes for true", lambda d, p=path: _set(d, p, "yes")
            yield f"{where}: a true/false answer left empty", lambda d, p=path: _set(d, p, None)
        elif "integer" in types and once("integer"):
            yield f"{where}: a number in words", lambda d, p=path: _set(d, p, "twelve")
            yield f"{where}: a number left empty", lambda d, p=path: _set(d, p, None)
            if "maximum" in node:
                yield f"{where}: a number too large", \
                    lambda d, p=path, n=node["maximum"]: _set(d, p, n + 1)
        elif "object" in types and isinstance(path[-1], int) and once("item"):
            required = list(node.get("required", []))
            if required:
                yield f"{where}: a required field removed", \
                    lambda d, p=path, r=required[-1]: _delete(d, (*p, r))
            yield f"{where}: an unknown field added", \
                lambda d, p=path: _set(d, (*p, "organization"), "Acme")
        elif "array" in types and once("list"):
            yield f"{where}: a list written as text", lambda d, p=path: _set(d, p, "several")
            yield f"{where}: a list left empty", lambda d, p=path: _set(d, p, None)
    yield "learner: a misspelt field", lambda d: _set(d, ("learner", "nmae"), "Sam")
    yield "learner: the optional id and email removed", \
        lambda d: (_delete(d, ("learner", "id")), _delete(d, ("learner", "email")))
    yield "learner: the name removed", lambda d: _delete(d, ("learner", "name"))
    yield "top level: an unknown field", lambda d: _set(d, ("notes",), "extra")


def mutated_documents(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """uri -> (description, text) for every slip on every exercise's full example."""
    documents: dict[str, tuple[str, str]] = {}
    for exercise in catalog.exercises.values():
        full = exercise.folder / "examples" / "full.yaml"
        first_line = full.read_text(encoding="utf-8").split("\n", 1)[0]
        data = load_bytes(full.read_bytes(), str(full)).data
        for number, (name, slip) in enumerate(slips(exercise, data)):
            changed = copy.deepcopy(data)
            slip(changed)
            body = yaml.dump(changed, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                             width=1000)
            uri = f"file:///worksheets/slips/{exercise.id}-{number}.yaml"
            documents[uri] = (f"{exercise.id}: {name}", f"{first_line}\n{body}")
    return documents


# --- the tests --------------------------------------------------------------------------------

def _file_documents() -> dict[str, tuple[str, str]]:
    documents = {}
    for path in [*EXAMPLES, *BLANKS]:
        relative = path.relative_to(ROOT)
        documents[f"file:///worksheets/{relative}"] = (
            str(relative), path.read_text(encoding="utf-8", errors="replace"))
    return documents


def _disagreements(editor: LanguageServer, catalog: Catalog,
                   documents: dict[str, tuple[str, str]]) -> list[str]:
    found = editor.diagnose({uri: text for uri, (_, text) in documents.items()})
    wrong = []
    for uri, (name, text) in documents.items():
        valid, codes = checker_verdict(text, catalog)
        errors = editor_errors(found[uri])
        if valid == (not errors):
            continue
        if not valid and not errors and codes <= set(STRICTER_THAN_EDITOR):
            continue
        said = f"checker: {'valid' if valid else sorted(codes)}; editor: {errors or 'no error'}"
        wrong.append(f"{name}: {said}")
    return wrong


def test_examples_and_blank_worksheets_get_the_same_verdict_in_the_editor(
        editor: LanguageServer, catalog: Catalog):
    documents = _file_documents()
    assert len(documents) == len(EXAMPLES) + len(BLANKS) >= 9 * 5
    assert _disagreements(editor, catalog, documents) == []
    assert editor.served == set(editor.schemas), "every schema came through the first line"


def test_examples_checked_here_are_checked_the_same_by_workbook_check(catalog: Catalog):
    """The verdict used above is `workbook check`'s own: scored exactly when valid."""
    for example in EXAMPLES:
        valid, _ = checker_verdict(example.read_text(encoding="utf-8", errors="replace"),
                                   catalog)
        assert valid == (check_path(str(example), catalog).status == SCORED), example


def test_slips_get_the_same_verdict_in_the_editor(editor: LanguageServer, catalog: Catalog):
    documents = mutated_documents(catalog)
    kinds = {name.split(": ", 2)[-1] for name, _ in documents.values()}
    assert {"a choice in the wrong case", "a choice left empty", "an optional answer left empty",
            "a required answer left empty", "yes for true", "a number in words",
            "a required field removed", "an unknown field added",
            "a date written 12/07/2026"} <= kinds
    verdicts = {checker_verdict(text, catalog)[0] for _, text in documents.values()}
    assert verdicts == {True, False}, "the slips include accepted and refused ones"
    assert _disagreements(editor, catalog, documents) == []


def typed_documents() -> dict[str, tuple[str, str]]:
    full = (ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml").read_text(
        encoding="utf-8")
    documents = {}
    for number, (name, old, new) in enumerate(TYPED_SLIPS):
        assert old in full, name
        documents[f"file:///worksheets/typed/{number}.yaml"] = (name, full.replace(old, new, 1))
    documents["file:///worksheets/typed/bom.yaml"] = ("a byte-order mark", "\ufeff" + full)
    documents["file:///worksheets/typed/crlf.yaml"] = ("Windows line ends",
                                                       full.replace("\n", "\r\n"))
    return documents


def test_typing_slips_get_the_same_verdict_in_the_editor(editor: LanguageServer,
                                                         catalog: Catalog):
    documents = typed_documents()
    assert _disagreements(editor, catalog, documents) == []
    refused = set().union(*(checker_verdict(text, catalog)[1] for _, text in documents.values()))
    assert set(STRICTER_THAN_EDITOR) <= refused, "each known difference is still real"


def test_an_answer_left_empty_is_accepted_by_both(editor: LanguageServer, catalog: Catalog):
    """The issue that started this: `next_action:` with nothing after it."""
    partial = ROOT / "exercises" / "contact-inventory" / "examples" / "partial.yaml"
    text = partial.read_text(encoding="utf-8")
    assert "    next_action: \n" in text
    found = editor.diagnose({"file:///worksheets/empty-answer.yaml": text})
    assert editor_errors(found["file:///worksheets/empty-answer.yaml"]) == []
    assert checker_verdict(text, catalog) == (True, set())


def test_the_one_way_the_editor_is_stricter(editor: LanguageServer, catalog: Catalog):
    """EDITOR_STRICTER, held to what it says: should either side change, this fails."""
    full = ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml"
    text = full.read_text(encoding="utf-8").replace(
        "    field: secondary education\n", "    field: 1984\n", 1)
    assert "    field: 1984\n" in text
    found = editor.diagnose({"file:///worksheets/number-answer.yaml": text})
    errors = editor_errors(found["file:///worksheets/number-answer.yaml"])
    assert len(errors) == 1 and "Incorrect type" in errors[0], errors
    assert checker_verdict(text, catalog) == (True, set()), EDITOR_STRICTER


def test_editors_show_each_choice_label_on_hover(editor: LanguageServer, catalog: Catalog):
    """The labels are in the schema the standard way, and the editor shows them."""
    full = ROOT / "exercises" / "contact-inventory" / "examples" / "full.yaml"
    text = full.read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(i for i, li in enumerate(lines) if li.strip() == "tier: AB")
    shown = editor.hover("file:///worksheets/hover.yaml", text, row, lines[row].index("AB") + 1)
    labels = dict(choices(catalog.exercises["contact-inventory"].schema["definitions"]
                          ["contact"]["properties"]["tier"]) or [])
    assert labels["AB"] in shown
