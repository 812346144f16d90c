"""Everything that touches files: readers (layouts declared as data), the store, writers.

``io`` never imports the layers above it (harmonize, analysis, roadmap, web, cli).
"""

from __future__ import annotations

__all__: list[str] = []
