# Registers its hooks: new posts (and every new page) are saved by the editor, never by autosave.
from cms import editing  # noqa: F401
