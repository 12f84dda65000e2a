"""Score our sentence rules on a public sentence-boundary test set: pySBD's English "golden
rules" (from Pragmatic Segmenter), read from a copy of its test file that you pass in.

The test set is not kept in this repository; save it first, for example:

    curl -o /tmp/test_english.py \\
      https://raw.githubusercontent.com/nipunsadvilkar/pySBD/master/tests/lang/test_english.py
    python bench/bench_golden.py /tmp/test_english.py

Each case counts as right only when every sentence is exactly the expected one. It is scored
twice, with our blank pipeline and rules:

- as text: the pipeline run on the case's text, which is what the rules judge;
- as an article: the text as one paragraph of a Markdown article, as a site would have it.
  CommonMark reads a case that begins "1." or "1)" as an ordered list item, whose number the
  page shows as list numbering and which is therefore not part of the first sentence.

Prints both scores and every case missed, with what we made of it.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

from site_builder.model import Article
from site_builder.text.segment import load_pipeline, segment_article


def golden_cases(path: Path) -> list[tuple[str, list[str]]]:
    """The (text, expected sentences) pairs of the file's `GOLDEN_EN_RULES_TEST_CASES` list;
    a `pytest.param(text, expected, ...)` entry counts like a plain pair."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id.startswith("GOLDEN_") for t in node.targets)
            and isinstance(node.value, ast.List)
        ):
            cases = []
            for item in node.value.elts:
                if isinstance(item, ast.Call):
                    item = ast.Tuple(elts=item.args[:2], ctx=ast.Load())
                text, expected = ast.literal_eval(item)
                cases.append((text, list(expected)))
            return cases
    raise SystemExit(f"{path}: no GOLDEN_... list found")


def as_text(text: str) -> list[str]:
    return [sentence.text.strip() for sentence in load_pipeline(None)(text).sents]


def as_article(text: str) -> list[str]:
    article = Article(
        slug="case",
        path="content/articles/case.md",
        source=text,
        body_start=0,
        title="Case",
        outlet="Bench",
        outlet_slug="bench",
    )
    return [s.text for s in segment_article(article, load_pipeline(None)).sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", type=Path, help="a copy of pySBD's tests/lang/test_english.py")
    args = parser.parse_args()
    cases = golden_cases(args.rules)
    for name, sentences in (("as text", as_text), ("as an article", as_article)):
        missed = [(text, want, got) for text, want in cases if (got := sentences(text)) != want]
        right = len(cases) - len(missed)
        print(f"{name}: {right} of {len(cases)} cases right ({100 * right / len(cases):.0f}%)")
        for text, want, got in missed:
            print(f"- {text}\n  expected: {want}\n  got:      {got}")
        print()


if __name__ == "__main__":
    main()
