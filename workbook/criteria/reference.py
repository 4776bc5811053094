"""The author guide's reference of criterion kinds, written from the kinds themselves.

Like yamllint's rule pages, which are generated from each rule module's docstring,
the table of kinds in docs/guides/authoring.md is not written by hand: the site's
build (workbook/mkdocs_hooks.py) puts :func:`markdown` where the guide has
:data:`MARKER`. Each row comes from a kind's ``DOC`` (workbook/criteria/base.py),
and each example's verdicts are the kind's own ``measure`` run on its example, so
the guide cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

import yaml

from workbook.criteria import KINDS
from workbook.criteria.base import KindDoc

MARKER = "<!-- criterion-kinds: generated at build time by workbook/criteria/reference.py -->"


def verdict(kind: str, doc: KindDoc, data: Any) -> str:
    """What the kind says about ``data`` under the example: points and its detail."""
    measured = KINDS[kind].measure(dict(doc.example), dict(doc.key), data)
    share = "pending" if measured.fraction is None else f"{measured.fraction:.0%} of the points"
    return f"{share}: {measured.detail}"


def _block(value: Any) -> str:
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=80)
    return "\n".join("    " + line for line in text.rstrip("\n").split("\n"))


def _example(kind: str, doc: KindDoc) -> str:
    parts = [f'??? example "Example: `{kind}`"', "",
             "    In rubric.yaml:", "", "    ```yaml",
             _block({"kind": kind, "params": dict(doc.example)}),
             "    ```", ""]
    if doc.key:
        parts += ["    With its answer key (kept out of the site and the learner's file):", "",
                  "    ```yaml", _block({"key": dict(doc.key)}), "    ```", ""]
    if doc.passes is None:
        parts += ["    A person gives the points, through the overrides file; until then "
                  "the criterion shows as pending.", ""]
        return "\n".join(parts)
    for name, data in (("Earns full marks", doc.passes), ("Earns less", doc.fails)):
        parts += [f"    {name}:", "", "    ```yaml", _block(data), "    ```", "",
                  f"    *{verdict(kind, doc, data)}*", ""]
    return "\n".join(parts)


def markdown() -> str:
    """The table of kinds, then one folded example per kind."""
    rows = ["| kind | params | scores |", "|---|---|---|"]
    rows += [f"| `{kind}` | {module.DOC.params.replace('|', chr(92) + '|')} | "
             f"{module.DOC.scores.replace('|', chr(92) + '|')} |"
             for kind, module in KINDS.items()]
    examples = [_example(kind, module.DOC) for kind, module in KINDS.items()]
    return "\n".join(rows) + "\n\n" + "\n".join(examples)


__all__ = ["MARKER", "markdown", "verdict"]
