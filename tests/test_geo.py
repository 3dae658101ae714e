"""Tests for deflectkit.core.geo (distances, grid index) and files.zip_centroids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.core.geo import GridIndex, haversine_km, parse_near, parse_point
from deflectkit.core.providers import Coordinates
from deflectkit.files.zip_centroids import zip_centroid, zip_timezone

TUCSON = Coordinates(32.2217, -110.9265)
PHOENIX = Coordinates(33.4484, -112.0740)

points = st.builds(
    Coordinates,
    lat=st.floats(-85, 85, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
)
# Mostly clustered around one city, as a directory is, with some far away.
local_points = st.builds(
    Coordinates,
    lat=st.floats(31.5, 33.0, allow_nan=False),
    lon=st.floats(-111.8, -110.2, allow_nan=False),
)


class TestHaversine:
    """Great-circle distances."""

    def test_known_distance(self) -> None:
        """Tucson to Phoenix downtowns is about 173.5 km as the crow flies."""
        expected = 173.5

        assert expected == round(haversine_km(TUCSON, PHOENIX), 1)

    def test_antipodes(self) -> None:
        """Opposite points are half the circumference apart (about 20,015 km)."""
        expected = 20015

        assert expected == round(haversine_km(Coordinates(0, 0), Coordinates(0, 180)))

    @given(a=points, b=points)
    def test_symmetric_and_bounded(self, a: Coordinates, b: Coordinates) -> None:
        """Distance is symmetric, never negative, never more than half the circumference."""
        d = haversine_km(a, b)

        assert pytest.approx(d, abs=1e-6) == haversine_km(b, a)
        assert 0 <= d <= 20016


class TestGridIndex:
    """Widening rings hand out every point once, and never miss one inside a radius."""

    @given(
        items=st.lists(st.one_of(local_points, points), max_size=60),
        centre=st.one_of(local_points, points),
        cell_deg=st.sampled_from([0.1, 0.25, 1.0, 5.0]),
    )
    def test_rings_complete_and_exact(
        self, items: list[Coordinates], centre: Coordinates, cell_deg: float
    ) -> None:
        """After each ring, every point within its radius has been handed out, exactly once."""
        index = GridIndex.build(enumerate(items), cell_deg=cell_deg)
        handed: list[int] = []

        for ring in index.rings(centre, start_km=5):
            handed.extend(key for key, _ in ring.items)
            within = {i for i, p in enumerate(items) if haversine_km(centre, p) <= ring.radius_km}

            assert set() == within - set(handed)

        assert sorted(range(len(items))) == sorted(handed)

    def test_first_ring_is_local(self) -> None:
        """A point 170 km away is not in the first 10 km ring around Tucson."""
        index = GridIndex.build([("tucson", TUCSON), ("phoenix", PHOENIX)])

        first = next(index.rings(TUCSON, start_km=10))

        expected = (["tucson"], False)

        assert expected == ([k for k, _ in first.items], first.exhausted)

    def test_empty_index(self) -> None:
        """An empty index yields one exhausted, empty ring."""
        empty: GridIndex[str] = GridIndex.build([])
        expected = [((), True)]

        assert expected == [(r.items, r.exhausted) for r in empty.rings(TUCSON)]


class TestParsing:
    """--near accepts a ZIP code or LAT,LON and says clearly what is wrong."""

    def test_point(self) -> None:
        """LAT,LON with spaces and signs reads as a point."""
        assert Coordinates(32.5, -110.25) == parse_point(" 32.5 , -110.25 ")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("north", "cannot read"),
            ("91,0", "not on the Earth"),
            ("0,181", "not on the Earth"),
            ("1234", "five digits"),
            ("00000", "unknown ZIP code"),
        ],
    )
    def test_bad_near(self, text: str, message: str) -> None:
        """Bad --near values raise ValueError naming the problem."""
        with pytest.raises(ValueError, match=message):
            parse_near(text, zip_centroid)

    def test_near_zip(self) -> None:
        """A ZIP code resolves to its centroid and is described as such."""
        assert (Coordinates(32.2139, -110.9694), "ZIP 85701") == parse_near("85701", zip_centroid)


class TestZipCentroids:
    """The bundled ZIP table, read offline."""

    def test_known_zip_and_zone(self) -> None:
        """85701 (Tucson) has a centroid and the Phoenix zone; ZIP+4 works too."""
        assert (Coordinates(32.2139, -110.9694), "America/Phoenix") == (
            zip_centroid("85701-1234"),
            zip_timezone("85701"),
        )

    @pytest.mark.parametrize("zip_code", ["00000", "09001", "8570", "abcde", ""])
    def test_unknown(self, zip_code: str) -> None:
        """Unknown, malformed and placeholder (APO 0,0) ZIP codes have no centroid."""
        assert zip_centroid(zip_code) is None
