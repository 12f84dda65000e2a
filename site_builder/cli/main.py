"""Command line: arguments in, exit code out. The cli/ package is the only one that prints.

`main(argv)` parses the arguments, calls the build core and prints diagnostics to stderr as
``path:line:col: severity: message`` with a hint. Exit codes: 0 clean, 1 problems in the input,
2 usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostics
from ..model import Site
from .report import (
    EXIT_OK,
    EXIT_PROBLEMS,
    ProgressBar,
    as_github,
    as_json,
    print_diagnostics,
    summary,
)
from .serve import run_serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build a static fact-check site from articles (content/) and claims.yaml.",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new", help="start a site in a new folder: settings, pages, an example claim, CI"
    )
    new.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    new.add_argument("--title", default="Fact checks", help="the site's name")
    new.add_argument(
        "--base-url", default="https://example.org/", help="where the site will be published"
    )

    bring = commands.add_parser(
        "import", help="turn saved web pages (.html) or text copies (.txt) into articles"
    )
    _add_root(bring)
    bring.add_argument("files", nargs="+", metavar="FILE", help="saved pages or text files")
    bring.add_argument("--outlet", help="the publisher's name (when the page does not say it)")
    bring.add_argument("--slug", help="the article's file name (default: from the headline)")
    bring.add_argument("--url", help="where the outlet published it")
    bring.add_argument("--published", help="the publication date, YYYY-MM-DD")
    bring.add_argument("--force", action="store_true", help="replace an existing article")

    build = commands.add_parser("build", help="build the site into the output folder")
    _add_root(build)
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/output)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (use in CI)")
    build.add_argument("--timings", action="store_true", help="print the time each stage took")
    build.add_argument(
        "--base-url", help="override base_url from content/site.yaml (preview deploys)"
    )

    check = commands.add_parser("check", help="validate everything; write nothing")
    _add_root(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--fix",
        action="store_true",
        help="rewrite quotes in claims.yaml whose only drift from the article is typography",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github workflow annotations",
    )

    sentences = commands.add_parser("sentences", help="list the numbered sentences of articles")
    _add_root(sentences)
    sentences.add_argument(
        "articles", nargs="*", metavar="ARTICLE", help="article slugs (default: all)"
    )
    sentences.add_argument("--grep", help="only sentences containing this text (case-insensitive)")
    sentences.add_argument("--format", choices=("text", "json"), default="text")

    serve = commands.add_parser(
        "serve", help="build, serve on loopback, rebuild and reload on edits"
    )
    _add_root(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"
    )
    serve.add_argument(
        "--poll",
        action="store_true",
        help="poll for changes (network or container mounts without file events)",
    )
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument(
        "--timings", action="store_true", help="print the time each stage of a rebuild took"
    )

    suggest = commands.add_parser(
        "suggest", help="sentences of unquoted articles that likely report a claim, as YAML"
    )
    _add_root(suggest)
    suggest.add_argument("claim", metavar="CLAIM_ID")
    suggest.add_argument("--limit", type=int, default=3, help="sentences per article (default 3)")

    schema = commands.add_parser("schema", help="print a JSON Schema for editors' tools")
    schema.add_argument("name", choices=("claims", "site", "article", "page", "claims-json"))
    _add_root(schema)
    schema.add_argument(
        "--write",
        action="store_true",
        help="write it into the site as content/schemas/NAME.schema.json, for modelines",
    )
    return parser


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="site folder (default: current)"
    )


def run_build(args: argparse.Namespace) -> int:
    from ..build.options import BuildOptions
    from ..build.run import build

    root: Path = args.root
    out: Path = args.out if args.out is not None else root / "output"
    started = time.perf_counter()
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    options = BuildOptions(root=root, out=out, strict=args.strict, base_url=args.base_url)
    try:
        result = build(options, progress=bar)
    finally:
        if bar is not None:
            bar.clear()
    print_diagnostics(result.diagnostics, args.strict, sys.stderr)
    if result.failed:
        print(
            f"site-builder: build failed: {summary(result.diagnostics, args.strict)}; "
            f"{out} left unchanged",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    elapsed = time.perf_counter() - started
    if args.timings:
        for stage, seconds in result.timings:
            print(f"  {stage:<10} {seconds * 1000:8.1f} ms")
    print(f"built {result.pages} files into {out} in {elapsed:.2f} s")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from ..build.builder import load_site, render
    from ..load.editor_schema import stale_schemas

    diagnostics = Diagnostics()
    site = load_site(args.root, diagnostics)
    if args.fix and site is not None:
        fixed = fix_quotes(args.root, site)
        if fixed:
            # The file changed under the loaded site: check again from what is on disk now.
            diagnostics = Diagnostics()
            site = load_site(args.root, diagnostics)
    if site is not None and not diagnostics.failed():
        render(site, args.root, diagnostics)
    stale_schemas(args.root, diagnostics)
    if site is not None:
        from ..build.recorded import LastBuild, unrecorded_changes
        from ..importing import kept_originals

        diagnostics.items.extend(kept_originals(args.root, [s.article for s in site.articles]))
        # Against the last build's open data: what the site last published, as far as we know.
        last = LastBuild(args.root / "output" / "claims.json")
        diagnostics.items.extend(unrecorded_changes(site.claims, last))
    items = diagnostics.sorted()
    if args.format == "json":
        print(json.dumps([as_json(d, args.strict) for d in items], indent=2, ensure_ascii=False))
    elif args.format == "github":
        for item in items:
            print(as_github(item, args.strict))
    else:
        print_diagnostics(items, args.strict, sys.stderr)
        print(f"site-builder: {summary(items, args.strict)}", file=sys.stderr)
    return EXIT_PROBLEMS if diagnostics.failed(args.strict) else EXIT_OK


def fix_quotes(root: Path, site: Site) -> int:
    """Apply `check --fix` to ROOT/claims.yaml; report each rewrite on stderr; return the count."""
    from ..output.write import replace_file_atomically
    from ..quotes.fix import FixError, apply_fixes, plan_fixes

    fixes = plan_fixes(site)
    if not fixes:
        return 0
    path = root / "claims.yaml"
    with path.open(encoding="utf-8", newline="") as handle:  # keep CRLF files as they are
        text = handle.read()
    try:
        new_text = apply_fixes(text, fixes)
    except FixError as exc:
        print(f"site-builder: --fix changed nothing: {exc}", file=sys.stderr)
        return 0
    replace_file_atomically(path, new_text.encode("utf-8"))
    for fix in fixes:
        print(f"{fix.location}: fixed: {fix.old!r} -> {fix.new!r}", file=sys.stderr)
    return len(fixes)


def run_sentences(args: argparse.Namespace) -> int:
    from ..build.builder import load_site

    diagnostics = Diagnostics()
    site = load_site(args.root, diagnostics)
    if site is None:
        print_diagnostics(diagnostics.sorted(), False, sys.stderr)
        return EXIT_PROBLEMS
    known = {s.article.slug: s for s in site.articles}
    unknown = [slug for slug in args.articles if slug not in known]
    if unknown:
        print(
            f"site-builder: unknown article(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    chosen = [known[slug] for slug in args.articles] if args.articles else list(site.articles)
    needle = args.grep.casefold() if args.grep else None
    rows = [
        {
            "article": s.article.slug,
            "number": sentence.number,
            "text": sentence.text,
            "line": sentence.line,
            "block": sentence.block,
            "start": sentence.start,
            "end": sentence.end,
        }
        for s in chosen
        for sentence in s.sentences
        if needle is None or needle in " ".join(sentence.text.split()).casefold()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            text = " ".join(str(row["text"]).split())
            print(f"{row['article']}:{row['number']} (line {row['line']}): {text}")
    return EXIT_OK


def run_suggest(args: argparse.Namespace) -> int:
    from ..build.builder import load_site
    from ..quotes.suggest import suggest, suggestions_yaml

    diagnostics = Diagnostics()
    site = load_site(args.root, diagnostics)
    claim = next((c for c in site.claims if c.claim.id == args.claim), None) if site else None
    if site is None or claim is None:
        print_diagnostics(diagnostics.sorted(), False, sys.stderr)
        known = ", ".join(c.claim.id for c in site.claims) if site else ""
        print(
            f"site-builder: no claim '{args.claim}'" + (f"; known: {known}" if known else ""),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    found = suggest(claim, site.articles, limit=args.limit)
    if not found:
        print(f"# claim '{args.claim}' already quotes every article")
        return EXIT_OK
    print(f"# Paste under the quotes: of claim '{args.claim}' in claims.yaml; check each stance.")
    print(suggestions_yaml(found), end="")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from ..load.editor_schema import editor_schema, write_schema

    schema, diagnostics = editor_schema(args.name, args.root)
    print_diagnostics(diagnostics.sorted(), False, sys.stderr)
    if not args.write:
        print(json.dumps(schema, indent=2, ensure_ascii=False))
        return EXIT_OK
    try:
        path = write_schema(args.root, args.name, schema)
    except OSError as error:
        print(f"site-builder: cannot write the schema: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {path}")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from ..scaffold import ScaffoldError, new_site

    try:
        written = new_site(args.folder, args.title, args.base_url)
    except ScaffoldError as error:
        print(f"{args.folder}: error: {error}", file=sys.stderr)
        if error.hint:
            print(f"    hint: {error.hint}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"{args.folder}: error: cannot write the site: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    for path in written:
        print(f"created {args.folder / path}")
    print(
        f"\nA new site in {args.folder}. Next: cd {args.folder}, then site-builder serve to see it,"
        " and replace the example articles and claim with your own (README: a walkthrough)."
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..importing import ImportProblem, Options, import_file

    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError:
            print(
                f"site-builder: error: --published {args.published!r} is not a date",
                file=sys.stderr,
            )
            print("    hint: write it as YYYY-MM-DD", file=sys.stderr)
            return EXIT_PROBLEMS
    if args.slug and len(args.files) > 1:
        print("site-builder: error: --slug names one article; import one file", file=sys.stderr)
        return EXIT_PROBLEMS
    options = Options(args.outlet, args.slug, args.url, published, args.force)
    failed = False
    for name in args.files:
        try:
            done = import_file(args.root, name, options)
        except ImportProblem as problem:
            print(problem.located(), file=sys.stderr)
            if problem.hint:
                print(f"    hint: {problem.hint}", file=sys.stderr)
            failed = True
            continue
        article = done.article.relative_to(args.root)
        print(
            f"imported {name} -> {article} (original kept as {done.source.relative_to(args.root)})"
        )
    if not failed:
        # A schema written into the site lists its articles: keep the editor's completion whole.
        from ..load.editor_schema import editor_schema, write_schema

        if (args.root / "content/schemas/claims.schema.json").is_file():
            schema, _ = editor_schema("claims", args.root)
            write_schema(args.root, "claims", schema)
        print(
            "Next: site-builder sentences to find what to quote, then write the claim in claims.yaml."
        )
    return EXIT_PROBLEMS if failed else EXIT_OK


COMMANDS = {
    "new": run_new,
    "import": run_import,
    "serve": run_serve,
    "suggest": run_suggest,
    "build": run_build,
    "check": run_check,
    "sentences": run_sentences,
    "schema": run_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("site-builder: interrupted; output left unchanged", file=sys.stderr)
        return 130


def main_entry() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["build"]:
        # A build leaves millions of objects behind, which the interpreter would free one by
        # one before exiting (over a second at 5,000 articles). By now every file is written
        # and closed and the workers are gone; only the terminal's streams need flushing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
