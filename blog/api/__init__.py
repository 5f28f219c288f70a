"""The blog's endpoints of the public API: posts (posts.py) and previews of their drafts (preview.py)."""
