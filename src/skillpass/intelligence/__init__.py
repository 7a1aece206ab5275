"""Skills intelligence: job adverts -> ESCO skills -> indicators of demand (docs/intelligence.md).

Nothing is imported eagerly; use :class:`skillpass.intelligence.service.IntelligenceService`
(``SkillPass.intelligence``).
"""

from __future__ import annotations

__all__: list[str] = []
