"""Random edits of a site as editors make them, valid and invalid, for soaking `serve`.

Used by tests/test_soak.py (a short run in CI) and bench/soak_serve.py (1,000 edits against the
real command). Each edit is one save: a claim or article changed, YAML broken, a quote's words
changed so it no longer matches, an article deleted or renamed, a template broken, an editor's
temporary file written, an atomic save (a temporary file renamed over the original). Breaking
edits are undone by a later edit, and `restore` undoes whatever is still broken, so that the
site ends valid and its output can be compared with a clean build.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Editor:
    """Edits one site folder. `pending` holds the undo of each breaking edit still in force."""

    root: Path
    rng: random.Random
    pending: dict[str, Callable[[], None]] = field(default_factory=dict)
    counter: int = 0
    # The articles that breaking edits pick, fixed at the start so that their undos never
    # collide (one renamed while another is deleted). The site needs at least three.
    articles: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.articles = sorted((self.root / "content/articles").glob("*.md"))
        assert len(self.articles) >= 3, "a soak needs a site with at least three articles"

    # --- how files are saved ---------------------------------------------------------------

    def save(self, path: Path, text: str) -> None:
        """Most editors save in place; some write a temporary file and rename it over."""
        if self.rng.random() < 0.5:
            temporary = path.with_name(f".{path.name}.{self.counter}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        else:
            path.write_text(text, encoding="utf-8")

    def token(self) -> str:
        self.counter += 1
        return f"soak{self.counter}"

    # --- the edits ---------------------------------------------------------------------------

    def edit(self) -> str:
        """Make one random edit; its name."""
        kinds: list[Callable[[], str]] = [
            self.claim_summary,
            self.claim_summary,
            self.article_sentence,
            self.editor_temp_file,
        ]
        for name, undo in (
            ("yaml", self.break_yaml),
            ("quote", self.break_quote),
            ("article-gone", self.delete_article),
            ("article-renamed", self.rename_article),
            ("template", self.break_template),
        ):
            kinds.append(self._toggle(name, undo))
        return self.rng.choice(kinds)()

    def _toggle(self, name: str, make: Callable[[], Callable[[], None]]) -> Callable[[], str]:
        def run() -> str:
            if name in self.pending:
                self.pending.pop(name)()
                return f"fix {name}"
            self.pending[name] = make()
            return f"break {name}"

        return run

    def restore(self) -> None:
        """Undo every breaking edit still in force."""
        for name in list(self.pending):
            self.pending.pop(name)()

    def claim_summary(self) -> str:
        path = self.root / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        marker = "    summary: |\n      "
        places = [i for i in range(len(text)) if text.startswith(marker, i)]
        if not places:
            return "claims.yaml has no summary to edit"
        at = self.rng.choice(places) + len(marker)
        line = f"Edited as {self.token()}. "
        if self.rng.random() < 0.3:
            line = f"Edited as {self.token()}.\n      "  # a line more: later claims move down
        self.save(path, text[:at] + line + text[at:])
        return "claim"

    def article_sentence(self) -> str:
        articles = sorted((self.root / "content/articles").glob("*.md"))
        if not articles:
            return "no article to edit"
        path = self.rng.choice(articles)
        text = path.read_text(encoding="utf-8").rstrip("\n")
        self.save(path, text + f" A spokesperson added that {self.token()} would follow.\n")
        return "article"

    def editor_temp_file(self) -> str:
        """A swap or backup file appears and goes: never a rebuild."""
        folder = self.root / self.rng.choice(["content/articles", "content", "templates", "."])
        folder.mkdir(parents=True, exist_ok=True)
        name = self.rng.choice([".claims.yaml.swp", "4913", "notes.md~", ".#claims.yaml", "x.tmp"])
        temp = folder / name
        temp.write_text("scratch\n", encoding="utf-8")
        temp.unlink()
        return "temp file"

    def break_yaml(self) -> Callable[[], None]:
        path = self.root / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        self.save(path, text.replace("\n    verdict:", "\n   verdict:", 1))
        return lambda: self.save(path, text)

    def break_quote(self) -> Callable[[], None]:
        """An article corrected so that a quote no longer matches (a number changed)."""
        path = self.articles[0]
        text = path.read_text(encoding="utf-8")
        digit = next((c for c in text.split("---", 2)[-1] if c.isdigit()), None)
        changed = text.replace(digit, "9" if digit != "9" else "8") if digit else text + "x"
        self.save(path, changed)
        return lambda: self.save(path, text)

    def delete_article(self) -> Callable[[], None]:
        path = self.articles[-1]
        text = path.read_text(encoding="utf-8")
        path.unlink()
        return lambda: path.write_text(text, encoding="utf-8")

    def rename_article(self) -> Callable[[], None]:
        path = self.articles[1]
        renamed = path.with_name(f"renamed-{path.name}")
        os.replace(path, renamed)
        return lambda: os.replace(renamed, path)

    def break_template(self) -> Callable[[], None]:
        """The site's own templates/claim.html, with a syntax error."""
        own = self.root / "templates" / "claim.html"
        default = Path(__file__).resolve().parent.parent / "templates" / "claim.html"
        original = own.read_text(encoding="utf-8") if own.exists() else None
        own.parent.mkdir(parents=True, exist_ok=True)
        broken = (original or default.read_text(encoding="utf-8")).replace(
            "{% endblock %}", "{% endblok %}"
        )
        self.save(own, broken)

        def undo() -> None:
            if original is None:
                own.unlink()
            else:
                self.save(own, original)

        return undo
