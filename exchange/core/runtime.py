"""Process-level tuning for serving requests."""

from __future__ import annotations

import gc


def freeze_long_lived_objects() -> None:
    """Exempt what exists now (modules, the app, its caches) from the garbage collector's full passes.

    A match request allocates many short-lived objects, which set off full collections; each full collection
    walks every long-lived object too, and that walk, not the request's own work, made the slowest requests
    slow. Objects made after this call are collected as usual.
    """
    gc.collect()
    gc.freeze()
