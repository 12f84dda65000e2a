"""Articles -> their sentences, kept by text from build to build and on disk between runs.

In: the `Article`s of a build and the spaCy pipeline to use (None: the blank one with our
rules). Out: their `SegmentedArticle`s: the last build's for the very same Article, else the
segmentation cache's for the same text (validated JSON in the user cache folder), else made
anew, by several processes in a one-off build.
"""

from __future__ import annotations

from ..engine.cache import SegmentCache, code_version, same
from ..model import Article, SegmentedArticle
from ..text.pipeline import PIPELINE_VERSION
from ..workers import interrupts_held
from .options import Progress

# serve: segmentations kept in memory beyond those of the current articles.
SPARE_SEGMENTATIONS = 64

# Cached segmentations are valid for this exact segmentation code and data model.
SEGMENTATION_VERSION = (
    PIPELINE_VERSION
    + "-"
    + code_version("text/segment", "text/sentence_rules", "text/markdown_blocks", "model")
)


class Segmentations:
    """Each article's segmentation, kept while its text and the pipeline are the same."""

    def __init__(self, cache: SegmentCache, workers: int, progress: Progress | None) -> None:
        self.segments = cache
        self.workers = workers  # processes to segment many articles with
        self.progress = progress
        # article path -> (the Article, pipeline, segmentation cache key, its segmentation)
        self.segmented: dict[str, tuple[Article, str | None, str, SegmentedArticle]] = {}
        # The last build's articles and their segmentations, reused whole while the same.
        self.segmented_all: tuple[tuple[Article, ...], str | None, tuple[SegmentedArticle, ...]]
        self.segmented_all = ((), None, ())

    def of(
        self, articles: tuple[Article, ...], pipeline: str | None, save: bool = True
    ) -> tuple[SegmentedArticle, ...]:
        """The segmentations of `articles`, in order; the cache on disk updated with `save`
        (else serve saves it when edits pause, and keeps only a few spare entries meanwhile)."""
        if self.segmented_all[0] != articles or self.segmented_all[1] != pipeline:
            segmented = self._segment_all(articles, pipeline)
            self.segmented_all = (articles, pipeline, segmented)
        if len(self.segmented) > len(articles):  # articles were deleted: forget them
            paths = {article.path for article in articles}
            self.segmented = {p: held for p, held in self.segmented.items() if p in paths}
        if save:
            self.segments.save(self.keys())
        elif len(self.segments.stored) > len(self.segmented) + 2 * SPARE_SEGMENTATIONS:
            # Every article edit adds an entry; keep the current articles' and a few recent
            # others (an edit undone is a cache hit), not one per edit since the last pause.
            self.segments.trim(self.keys(), SPARE_SEGMENTATIONS)
        return self.segmented_all[2]

    def save(self) -> None:
        """Write the cache to disk, with a few spare entries besides the current articles'."""
        self.segments.save(self.keys(), SPARE_SEGMENTATIONS)

    def keys(self) -> set[str]:
        """The segmentation cache keys of the current articles."""
        return {held[2] for held in self.segmented.values()}

    def _segment_all(
        self, articles: tuple[Article, ...], pipeline: str | None
    ) -> tuple[SegmentedArticle, ...]:
        """Each article's segmentation: the last build's for an equal Article, else the disk
        cache's for the same text, else made (by several processes in a one-off build)."""
        results: list[SegmentedArticle | None] = []
        todo: list[tuple[int, Article, str]] = []
        for article in articles:
            held = self.segmented.get(article.path)
            if held is not None and same(held[0], article) and held[1] == pipeline:
                # No need to hash its text again, and the same SegmentedArticle keeps every
                # page key made from it cheap to compare.
                results.append(held[3])
                continue
            key = self.segments.key(article.source, article.body_start, pipeline)
            cached = self.segments.get(key, article.source)
            if cached is None:
                todo.append((len(results), article, key))
                results.append(None)
                continue
            segmented = SegmentedArticle(article, *cached)
            self.segmented[article.path] = (article, pipeline, key, segmented)
            results.append(segmented)
        if todo:
            with interrupts_held():  # spaCy: only when an article is new
                from ..text.segment import segment_many

            made = segment_many(
                [article for _, article, _ in todo],
                pipeline,
                self.workers,
                lambda done: self._report("segmenting articles", done, len(todo)),
            )
            for (index, article, key), segmented in zip(todo, made, strict=True):
                self.segments.put(key, (segmented.blocks, segmented.sentences))
                self.segmented[article.path] = (article, pipeline, key, segmented)
                results[index] = segmented
        return tuple(r for r in results if r is not None)

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)
