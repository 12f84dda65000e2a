"""Whether a spaCy pipeline is installed, asked without importing spaCy.

In: a pipeline's package name (`pipeline` in content/site.yaml). Out: True when it is
installed. What spaCy's `util.is_package` asks; a build whose sentences are all cached, or that
has nothing to do, never imports spaCy for it.
"""

from __future__ import annotations

from importlib import metadata

# Part of the cache key of segmented articles: bump it whenever blocks or rules change.
PIPELINE_VERSION = "news-sentences-1"


def pipeline_installed(name: str) -> bool:
    """True when the spaCy package `name` is installed; never downloads anything."""
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True
