"""Tests for deflectkit.site.measures_page: suppression, alt text, tables, deterministic SVG."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from deflectkit.core.events import Event
from deflectkit.core.measures import Measures, measures
from deflectkit.site.measures_page import render_measures_page, shown, suppress

MST = dt.timezone(dt.timedelta(hours=-7))


def _log() -> list[Event]:
    """April: 12 officer-intervention referrals and 3 self-referrals; May: 14 and 0."""
    events = []
    n = 0
    for month, counts in ((4, {"officer_intervention": 12, "self_referral": 3}),
                          (5, {"officer_intervention": 14})):  # fmt: skip
        for pathway, count in counts.items():
            for i in range(count):
                n += 1
                at = dt.datetime(2025, month, 1 + i, 12, tzinfo=MST)
                events.append(Event(f"o{n}", at, f"r{n}", "offered", pathway))
                events.append(Event(f"e{n}", at, f"r{n}", "referred", pathway, f"k{n % 12}"))
                if n % 4 == 0:
                    events.append(Event(f"c{n}", at, f"r{n}", "consent_recorded"))
                    events.append(Event(f"i{n}", at, f"r{n}", "intake"))
    return events


@pytest.fixture(name="small", scope="module")
def _small() -> Measures:
    return measures(_log(), sworn=50)


@pytest.fixture(name="files", scope="module")
def _files(small: Measures) -> dict[str, str | bytes]:
    return {f.path: f.content for f in render_measures_page(small, sample=False, source="log.csv")}


def _html_rows(page: str) -> list[list[str]]:
    """The body rows of the page's HTML table, as lists of cell texts."""
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in re.findall(r"<tr><th scope=\"row\".*?</tr>", page)
    ]


class TestSuppression:
    def test_primary_and_complementary(self) -> None:
        """A lone small cell in a row with a shown total takes the row's next smallest along."""
        assert [[True, True, False], [False, False, False]] == suppress([[5, 20, 30], [40, 50, 60]])

    def test_zero_is_shown(self) -> None:
        """Zero is not a small count: it is shown and needs no protection."""
        assert [[False, False], [False, False]] == suppress([[0, 20], [30, 40]])

    def test_column_complement(self) -> None:
        """With column totals published, a lone small cell is protected in its column too."""
        hidden = suppress([[3, 0], [40, 0], [50, 0]], row_totals=False, column_totals=True)

        assert [[True, False], [True, False], [False, False]] == hidden

    def test_both_margins(self) -> None:
        """With both totals published, protection spreads until no lone hidden cell remains."""
        hidden = suppress([[5, 20, 30], [40, 50, 60]], column_totals=True)

        assert [[True, True, False], [True, True, False]] == hidden

    def test_shown(self) -> None:
        """1–10 become <11; 0 and 11 are shown as they are."""
        assert ["0", "<11", "<11", "11", "1,234"] == [shown(n) for n in (0, 1, 10, 11, 1234)]


class TestPage:
    def test_files(self, files: dict[str, str | bytes]) -> None:
        """The page and its four charts, all under measures/."""
        assert [
            "measures/index.md",
            "measures/referrals-by-pathway.svg",
            "measures/funnel.svg",
            "measures/officers.svg",
            "measures/hours-saved.svg",
        ] == list(files)

    def test_small_counts_are_suppressed(self, files: dict[str, str | bytes]) -> None:
        """April's 3 self-referrals show as <11 and so does the 12 beside them (total 15)."""
        page = str(files["measures/index.md"])
        rows = {r[0]: r[1:] for r in _html_rows(page)}

        assert ["&lt;11", "0", "0", "0", "&lt;11", "0", "15"] == rows["Apr 2025"]
        assert ["0", "0", "0", "0", "14", "0", "14"] == rows["May 2025"]

    def test_wide_table_is_a_focusable_named_region(self, files: dict[str, str | bytes]) -> None:
        """The month-by-pathway table scrolls in a region a keyboard can reach (axe-core)."""
        page = str(files["measures/index.md"])

        assert re.search(r'<div [^>]*role="region" aria-label="[^"]+" tabindex="0"', page)

    def test_small_rates_are_suppressed(self, files: dict[str, str | bytes]) -> None:
        """A share whose count is under 11 is not published (7 intakes of 29 referrals)."""
        page = str(files["measures/index.md"])

        assert "| Started treatment by day 13 | <11 | suppressed |" in page

    def test_every_chart_has_alt_text_and_a_table(self, files: dict[str, str | bytes]) -> None:
        """Each image has a sentence of alt text and a Markdown table right after it."""
        page = str(files["measures/index.md"])
        images = re.findall(r"!\[([^\]]*)\]\(([^)]+\.svg)\)\n\n(\||<div class=)", page)

        assert ["referrals-by-pathway.svg", "funnel.svg", "officers.svg", "hours-saved.svg"] == [
            src for _, src, _ in images
        ]
        assert all(len(alt) > 40 and alt.endswith(".") for alt, _, _ in images)

    def test_sample_label_and_escaped_title(
        self, small: Measures, files: dict[str, str | bytes]
    ) -> None:
        """The fictional sample is labelled at the top (a real log is not); titles are escaped."""
        page = str(render_measures_page(small, title="<b>x</b>", sample=True)[0].content)

        assert page.startswith(
            '---\ntitle: "&lt;b&gt;x&lt;/b&gt;"\n---\n\n# &lt;b&gt;x&lt;/b&gt;\n\n!!! warning'
        )
        assert "Fictional" not in str(files["measures/index.md"])

    def test_milestones_listed(self, files: dict[str, str | bytes]) -> None:
        """The first referral is in the milestones list with its date."""
        assert "- **2025-04-01**: First referral" in str(files["measures/index.md"])

    def test_a_budget_officer_reads_the_truth(self, files: dict[str, str | bytes]) -> None:
        """Referrals and charges deflected are told apart; savings name deflected charges;
        nothing says every referral replaced an arrest."""
        page = str(files["measures/index.md"])

        assert "| Referrals to treatment and services (all pathways) | 29 |" in page
        charges = "| Charges deflected (officer intervention: referred instead of arrested) | 26 |"
        assert charges in page
        assert "| Booking costs avoided (charges deflected only) | $9,256 |" in page
        assert "instead of arrest" not in page.lower().replace("referred instead of arrested", "")
        assert "each deflection replaced an arrest" not in page


class TestCharts:
    def test_svg_is_deterministic_and_self_contained(
        self, small: Measures, files: dict[str, str | bytes]
    ) -> None:
        """Same measures, same bytes; no date, no external fonts or scripts."""
        again = {
            f.path: f.content for f in render_measures_page(small, sample=False, source="log.csv")
        }

        assert files == again
        for path, content in files.items():
            if path.endswith(".svg"):
                assert isinstance(content, bytes)
                text = content.decode()
                assert text.lstrip().startswith("<?xml")
                assert "<dc:date>" not in text
                assert "http" not in text.replace("http://www.w3.org", "").replace(
                    "http://purl.org", ""
                ).replace("http://creativecommons.org", "").replace("https://matplotlib.org", "")

    def test_suppressed_cells_are_not_drawn(self, small: Measures) -> None:
        """A chart drawn with the small cells hidden differs from one without any hiding."""
        from deflectkit.site.measures_page import _chart_by_pathway

        rows = list(small.monthly)
        none_hidden = [[False] * 6 for _ in rows]
        hidden = [[False] * 6 for _ in rows]
        hidden[0][0] = hidden[0][4] = True

        assert _chart_by_pathway(rows, hidden) != _chart_by_pathway(rows, none_hidden)


class TestEmpty:
    def test_empty_log_gives_a_page_without_monthly_charts(self) -> None:
        """No events: the page says so and only the (all-zero) funnel is drawn."""
        files = render_measures_page(measures([]), sample=False)

        assert ["measures/index.md", "measures/funnel.svg"] == [f.path for f in files]
        assert "Period: **no events**" in str(files[0].content)
        assert "No milestones yet." in str(files[0].content)
