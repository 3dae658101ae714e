"""The provider directory: every loaded provider, looked up by slug or by vocabulary word.

A :class:`Directory` is an immutable value. It is built once (by
:func:`deflectkit.load_directory`, or directly from providers in tests and importers) and
then shared freely: referral matching, the site and the exporters only read it.

Example:
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.providers import Location, Provider
    >>> clinic = Provider(slug="example-clinic", name="Example Clinic",
    ...                   location=Location("America/Phoenix"), services=("outpatient",),
    ...                   hours=parse_hours("24/7"))
    >>> d = Directory([clinic])
    >>> len(d), d.get("example-clinic").name, [p.slug for p in d.with_service("outpatient")]
    (1, 'Example Clinic', ['example-clinic'])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, get_args

import attrs

from deflectkit.core.cache import BoundedCache
from deflectkit.core.providers import Provider
from deflectkit.errors import Problem

if TYPE_CHECKING:
    from deflectkit.core.match_index import MatchIndex, ZipLookup

__all__ = ["INDEXED_FIELDS", "Directory", "IndexedField"]

#: The provider fields whose words the directory indexes (each a controlled vocabulary).
IndexedField = Literal[
    "services",
    "medications",
    "substances",
    "payment",
    "asam_levels",
    "languages",
    "accessibility",
    "populations",
]
#: The same fields as a tuple (spelled once, in the ``Literal`` above); they are the keys of
#: ``vocabulary.PROVIDER_LIST_FIELDS``, which a test checks.
INDEXED_FIELDS: Final[tuple[IndexedField, ...]] = get_args(IndexedField)

_Index = Mapping[tuple[str, str], tuple[Provider, ...]]


def _sorted_providers(providers: Iterable[Provider]) -> tuple[Provider, ...]:
    """Sort by slug and refuse two providers with one slug (a slug names one page)."""
    ordered = tuple(sorted(providers, key=lambda p: p.slug))
    for before, after in itertools.pairwise(ordered):
        if before.slug == after.slug:
            msg = f"two providers have the slug {after.slug!r}; each slug must be unique"
            raise ValueError(msg)
    return ordered


def _slug_index(providers: tuple[Provider, ...]) -> Mapping[str, Provider]:
    return MappingProxyType({p.slug: p for p in providers})


def _word_index(providers: tuple[Provider, ...]) -> _Index:
    by_word: dict[tuple[str, str], list[Provider]] = {}
    for provider in providers:
        for field in INDEXED_FIELDS:
            for word in getattr(provider, field):
                by_word.setdefault((field, word), []).append(provider)
    return MappingProxyType({k: tuple(v) for k, v in by_word.items()})


def _problem_tuple(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problems)


@attrs.frozen(eq=False)
class Directory:
    """An immutable set of providers, in slug order, indexed by slug and by vocabulary word.

    Attributes:
        providers: every provider, sorted by slug (unique).
        warnings: problems found while loading that do not make the data invalid (a stale
            ``verified`` date, two files that look like the same provider). The site may
            show them; matching ignores them.

    Raises:
        ValueError: when two providers share a slug.

    Example:
        >>> from deflectkit.core.hours import parse_hours
        >>> from deflectkit.core.providers import Location
        >>> clinic = Provider(slug="example-clinic", name="Example Clinic",
        ...     location=Location("America/Phoenix"), hours=parse_hours("24/7"),
        ...     services=("medications",), medications=("buprenorphine",))
        >>> directory = Directory([clinic])
        >>> len(directory), "example-clinic" in directory, directory["example-clinic"].name
        (1, True, 'Example Clinic')
        >>> [p.slug for p in directory.with_medication("buprenorphine")]
        ['example-clinic']
    """

    providers: tuple[Provider, ...] = attrs.field(converter=_sorted_providers)
    warnings: tuple[Problem, ...] = attrs.field(default=(), converter=_problem_tuple)
    # Indexes derived from `providers` only, so they can never disagree with it.
    _by_slug: Mapping[str, Provider] = attrs.field(
        init=False, repr=False, eq=False,
        default=attrs.Factory(lambda self: _slug_index(self.providers), takes_self=True),
    )
    _by_word: _Index = attrs.field(
        init=False, repr=False, eq=False,
        default=attrs.Factory(lambda self: _word_index(self.providers), takes_self=True),
    )
    # Match indexes by ZIP lookup: in practice one (the table deflectkit.match passes).
    _match_indexes: BoundedCache[ZipLookup | None, MatchIndex] = attrs.field(
        init=False, repr=False, eq=False, factory=lambda: BoundedCache(4)
    )

    def __len__(self) -> int:
        return len(self.providers)

    def __iter__(self) -> Iterator[Provider]:
        return iter(self.providers)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __getitem__(self, slug: str) -> Provider:
        return self._by_slug[slug]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Directory):
            return NotImplemented
        return self.providers == other.providers

    def __hash__(self) -> int:
        return hash(self.providers)

    def match_index(self, zip_centroid: ZipLookup | None = None) -> MatchIndex:
        """These providers prepared for referral matching, built on first use and then kept.

        :func:`deflectkit.core.matching.match` calls this when given a directory, so only the
        first query over a directory pays for the index (seconds for a national directory);
        the rest reuse it. The directory is immutable, so the index never goes stale. Two
        threads matching at once over a new directory may each build it; both build the same
        value and either may be kept, so readers never see a partial index.

        Args:
            zip_centroid: ZIP -> centroid for providers without coordinates (see
                :func:`~deflectkit.core.match_index.build_index`); one index is kept per
                lookup. ``deflectkit.match`` passes the ZIP table shipped with deflectkit.

        Example:
            >>> from deflectkit.core.hours import parse_hours
            >>> from deflectkit.core.providers import Location
            >>> d = Directory([Provider(slug="example", name="Example Clinic",
            ...     location=Location("America/Phoenix"), hours=parse_hours("24/7"))])
            >>> d.match_index() is d.match_index()
            True
        """
        index = self._match_indexes.get(zip_centroid)
        if index is None:
            # Imported here: matching is not needed to load or read a directory.
            from deflectkit.core.match_index import build_index

            built = build_index(self.providers, zip_centroid=zip_centroid)
            index = self._match_indexes.put(zip_centroid, built)
        return index

    @property
    def slugs(self) -> tuple[str, ...]:
        """Every slug, sorted."""
        return tuple(self._by_slug)

    def get(self, slug: str) -> Provider | None:
        """The provider with this slug, or ``None``."""
        return self._by_slug.get(slug)

    def offering(self, field: IndexedField, word: str) -> tuple[Provider, ...]:
        """Providers whose ``field`` lists ``word``, in slug order.

        Example:
            ``directory.offering("payment", "medicaid")``
        """
        if field not in INDEXED_FIELDS:
            msg = f"{field!r} is not an indexed field; use one of {', '.join(INDEXED_FIELDS)}"
            raise ValueError(msg)
        return self._by_word.get((field, word), ())

    def with_service(self, word: str) -> tuple[Provider, ...]:
        """Providers offering the service ``word`` (see ``vocabulary.SERVICES``)."""
        return self.offering("services", word)

    def with_medication(self, word: str) -> tuple[Provider, ...]:
        """Providers offering the medication ``word`` (see ``vocabulary.MEDICATIONS``)."""
        return self.offering("medications", word)

    def treating(self, substance: str) -> tuple[Provider, ...]:
        """Providers treating use of ``substance`` (see ``vocabulary.SUBSTANCES``)."""
        return self.offering("substances", substance)

    def words(self, field: IndexedField) -> tuple[str, ...]:
        """The words of ``field`` that at least one provider lists, sorted."""
        return tuple(sorted(w for f, w in self._by_word if f == field))

    @property
    def cities(self) -> tuple[str, ...]:
        """Every city named in an address, sorted."""
        return tuple(
            sorted(
                {p.location.address.city for p in self.providers if p.location.address}
            )
        )

    @property
    def counties(self) -> tuple[str, ...]:
        """Every county named in an address, sorted."""
        return tuple(
            sorted(
                {
                    p.location.address.county
                    for p in self.providers
                    if p.location.address and p.location.address.county
                }
            )
        )

    def in_city(self, city: str) -> tuple[Provider, ...]:
        """Providers whose address is in ``city`` (case-insensitive), in slug order."""
        wanted = city.casefold()
        return tuple(
            p
            for p in self.providers
            if p.location.address and p.location.address.city.casefold() == wanted
        )

    def in_county(self, county: str) -> tuple[Provider, ...]:
        """Providers whose address is in ``county`` (case-insensitive), in slug order."""
        wanted = county.casefold()
        return tuple(
            p
            for p in self.providers
            if p.location.address
            and p.location.address.county
            and p.location.address.county.casefold() == wanted
        )
