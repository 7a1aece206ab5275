"""SkillPass: portable, verifiable skills across Europe.

The public Python API is small and listed in ``__all__``; everything else is internal.
Nothing heavy happens at import.
"""

from skillpass.config import Settings
from skillpass.errors import SkillPassError

__all__ = ["Settings", "SkillPassError", "__version__"]

__version__ = "0.1.0"
