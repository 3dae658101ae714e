"""One bounded cache for memoised values: a dict that empties itself when full.

Compiled policies remember evaluation plans and reasons, and readers remember converted
cells. Each is owned by one object (never module state) and must not grow without bound
on a long backfill. Emptying when full is cruder than least-recently-used but costs nothing
on a hit, which is where these caches spend their time: a hit is a plain ``dict.get``.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["BoundedCache"]

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A ``dict`` that holds at most ``limit`` entries: :meth:`put` empties it when full.

    Read it as a dict (``cache.get(key)``); write through :meth:`put` only.

    Example:
        >>> cache: BoundedCache[str, int] = BoundedCache(2)
        >>> cache.put("a", 1), cache.put("b", 2), cache.put("c", 3)
        (1, 2, 3)
        >>> sorted(cache)
        ['c']
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` under ``key`` (emptying the cache first if it is full)."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
