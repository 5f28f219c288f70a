"""The editorial core's models, one concept per module."""

from .experts import Expert
from .home import HomePage
from .sources import Source

__all__ = ["Expert", "HomePage", "Source"]
