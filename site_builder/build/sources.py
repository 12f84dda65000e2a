"""The editors' files -> their values, read again only where they changed.

In: the site root, the `--base-url` override and, per build, what the watcher saw change (or
None: look at everything). Out: the `SiteConfig`, the `Article`s, the `Page`s and the `Claim`s
with what reading them reported. Each file's value is kept until its stat changes; claims.yaml
is read again entry by entry (load/claims.py); when the watcher names the changed files, the
articles folder is not listed again.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..engine.cache import Memo, same, stat_key
from ..layout import ARTICLES_DIR, CLAIMS_FILE, PAGES_DIR, SITE_FILE
from ..load.articles import load_article, load_page, markdown_files
from ..load.claims import ClaimsLoader
from ..load.config import load_config
from ..load.source import relative_name
from ..model import Article, Claim, Page, SiteConfig
from ..text.pipeline import pipeline_installed


class Sources:
    """The site's files as values, kept from build to build while the files are the same."""

    def __init__(self, root: Path, base_url: str | None) -> None:
        self.root = root
        self.base_url = base_url
        self.config_memo: Memo[SiteConfig | None] = Memo()
        self.article_memo: Memo[Article | None] = Memo()
        self.page_memo: Memo[Page | None] = Memo()
        self.claims_memo: Memo[tuple[Claim, ...]] = Memo()
        self.claims_loader = ClaimsLoader()  # re-reads only the entries of claims.yaml that changed
        # The last build's articles, with the config they were read with and what they reported.
        self.articles_all: _Listing | None = None

    def config(self, diagnostics: Diagnostics) -> SiteConfig | None:
        """content/site.yaml, read again when its stat changed."""
        return self.config_memo.get(
            "site",
            (stat_key(self.root / SITE_FILE), self.base_url),
            lambda d: load_config(self.root, d, self.base_url),
            diagnostics,
        )

    def claims(
        self, config: SiteConfig | None, slugs: tuple[str, ...], diagnostics: Diagnostics
    ) -> tuple[Claim, ...]:
        """claims.yaml, read again (entry by entry) when its stat, the config or the articles
        changed."""
        return self.claims_memo.get(
            CLAIMS_FILE,
            (stat_key(self.root / CLAIMS_FILE), config, slugs),
            lambda d: self.claims_loader.load(self.root, config, slugs, d),
            diagnostics,
        )

    def articles(
        self, config: SiteConfig | None, diagnostics: Diagnostics, changed: Collection[str] | None
    ) -> tuple[Article, ...]:
        """The articles, read again only where they changed.

        When the watcher says which files changed (`changed`, paths relative to the root) and
        every changed article is a plain file in the folder or gone, only those are looked at:
        listing and checking thousands of files costs more than the edit it is for.
        """
        held = self.articles_all
        # The folder itself (or content/) created, removed or renamed: list it again.
        whole_folder = changed is None or any(ARTICLES_DIR.startswith(p) for p in changed)
        if (
            held is not None
            and same(held.config, config)
            and changed is not None
            and not whole_folder
        ):
            edited = [p for p in changed if p.startswith(ARTICLES_DIR + "/")]
            if not edited:
                diagnostics.items.extend(held.diagnostics)
                return held.articles
            paths = self._edited_paths(held, edited)
            if paths is not None:
                found = Diagnostics()
                articles = self._load_articles(paths, config, set(edited), found)
                if articles == held.articles:
                    articles = held.articles  # the same tuple keeps what was built from it
                self.articles_all = _Listing(config, paths, articles, tuple(found.items))
                diagnostics.extend(found)
                return articles
        root = self.root
        found = Diagnostics()
        paths = markdown_files(root, ARTICLES_DIR, found)
        listed_cleanly = not found.items
        self.article_memo.keep_only(set(paths))
        articles = self._load_articles(paths, config, None, found)
        if held is not None and held.articles == articles:
            articles = held.articles
        if listed_cleanly:
            self.articles_all = _Listing(config, paths, articles, tuple(found.items))
        else:
            self.articles_all = None  # links refused while listing: list the folder every time
        diagnostics.extend(found)
        return articles

    def _edited_paths(self, held: _Listing, edited: Sequence[str]) -> tuple[Path, ...] | None:
        """The article paths after `edited` changed, or None when the folder must be listed:
        an edited path that is not a plain *.md file directly in the folder (a link, a folder)."""
        if not edited:
            return held.paths
        root = self.root
        paths = list(held.paths)  # sorted, as the folder listing gives them
        for relative in edited:
            path = root / relative
            if path.parent != root / ARTICLES_DIR or path.suffix != ".md":
                return None
            if path.is_symlink() or (path.exists() and not path.is_file()):
                return None
            # In place: sorting thousands of paths again costs more than the edit it is for.
            at = bisect.bisect_left(paths, path)
            listed = at < len(paths) and paths[at] == path
            if path.is_file() and not listed:
                paths.insert(at, path)
            elif not path.is_file() and listed:
                del paths[at]
        self.article_memo.keep_only(set(paths))
        return tuple(paths)

    def _load_articles(
        self,
        paths: Sequence[Path],
        config: SiteConfig | None,
        edited: set[str] | None,
        found: Diagnostics,
    ) -> tuple[Article, ...]:
        """Each article from its memo; re-read when its file changed. With `edited` (relative
        paths), only those are checked: the others are the memo's as they are."""
        root = self.root
        articles = []
        entries = self.article_memo.entries
        for path in paths:
            held = None
            if edited is not None and relative_name(path, root) not in edited:
                held = entries.get(path)
            if held is not None:
                found.items.extend(held[2])
                value = held[1]
            else:
                value = self.article_memo.get(
                    path, (stat_key(path), config), partial(load_article, path, root, config), found
                )
            if value is not None:
                articles.append(value)
        return tuple(articles)

    def pages(self, diagnostics: Diagnostics) -> tuple[Page, ...]:
        root = self.root
        paths = markdown_files(root, PAGES_DIR, diagnostics)
        self.page_memo.keep_only(set(paths))
        loaded = (
            self.page_memo.get(path, stat_key(path), partial(load_page, path, root), diagnostics)
            for path in paths
        )
        return tuple(page for page in loaded if page is not None)

    def pipeline(self, config: SiteConfig | None, diagnostics: Diagnostics) -> str | None:
        name = config.pipeline if config else None
        if name and not pipeline_installed(name):
            diagnostics.warning(
                Location(SITE_FILE),
                f"spaCy pipeline '{name}' is not installed; using the built-in sentence rules",
                f"Install the package {name} with pip, or remove 'pipeline'.",
            )
            return None
        return name

    def pipeline_named(self) -> str | None:
        """The spaCy pipeline the last config read names, if any."""
        held = self.config_memo.entries.get("site")
        config = held[1] if held is not None else None
        return config.pipeline if config is not None else None


@dataclass(frozen=True)
class _Listing:
    """The articles as the last build read them, from a clean listing of the folder."""

    config: SiteConfig | None
    paths: tuple[Path, ...]
    articles: tuple[Article, ...]
    diagnostics: tuple[Diagnostic, ...]
