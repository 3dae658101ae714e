"""The one bounded cache: reads as a dict, never holds more than its limit."""

from __future__ import annotations

from deflectkit.core.cache import BoundedCache


def test_put_empties_when_full() -> None:
    """The entry that finds the cache full starts it afresh; a hit is a plain get."""
    cache: BoundedCache[int, str] = BoundedCache(3)
    for key in range(3):
        cache.put(key, str(key))

    assert {0: "0", 1: "1", 2: "2"} == dict(cache)

    assert "3" == cache.put(3, "3")
    assert {3: "3"} == dict(cache)


def test_never_over_the_limit() -> None:
    """However many keys pass through, the size stays at most the limit."""
    cache: BoundedCache[int, int] = BoundedCache(10)
    sizes = [len(cache) for key in range(1000) if cache.put(key, key) is not None]

    assert 10 == max(sizes)
