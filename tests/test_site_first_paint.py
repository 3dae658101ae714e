"""The directory home's stylesheets and script written into the page (one round trip)."""

from __future__ import annotations

from pathlib import Path

from deflectkit.site.first_paint import inline_first_paint

PAGE = (
    "<html><head>"
    '<script src="../assets/deflectkit/deflectkit.js" async></script>'
    '<link rel="stylesheet" href="../assets/theme.css">'
    '<link rel="stylesheet" href="../assets/print.css" media="print">'
    "</head><body>"
    '<link rel="stylesheet" href="../assets/theme.css">'
    "</body></html>"
)


def _site(tmp_path: Path, *, theme: str = "a{color:red}", script: str = "go();") -> Path:
    site = tmp_path / "site"
    (site / "assets" / "deflectkit").mkdir(parents=True, exist_ok=True)
    (site / "assets" / "theme.css").write_text(theme, encoding="utf-8")
    (site / "assets" / "print.css").write_text("@media print{b{x:y}}", encoding="utf-8")
    (site / "assets" / "deflectkit" / "deflectkit.js").write_text(script, encoding="utf-8")
    return site


def test_stylesheets_and_script_in_the_head_are_written_into_the_page(tmp_path: Path) -> None:
    out = inline_first_paint(PAGE, page_url="directory/", site_dir=_site(tmp_path))
    head, body = out.split("</head>")
    assert '<script data-base="../">go();</script>' in head
    assert "<style>a{color:red}</style>" in head
    assert '<style media="print">@media print{b{x:y}}</style>' in head
    assert "<link" not in head
    assert '<link rel="stylesheet" href="../assets/theme.css">' in body  # the head only


def test_a_script_cannot_end_its_element_early(tmp_path: Path) -> None:
    site = _site(tmp_path, script='var s = "</script><b>";')
    out = inline_first_paint(PAGE, page_url="directory/", site_dir=site)
    assert 'var s = "<\\/script><b>";</script>' in out
    assert out.count("</script>") == 1


def test_a_stylesheet_that_names_other_files_or_could_end_early_stays_a_link(
    tmp_path: Path,
) -> None:
    for css in ("a{background:url(img.png)}", "a{x:'</style>'}", 'a{b:url( "font.woff")}'):
        out = inline_first_paint(
            PAGE, page_url="directory/", site_dir=_site(tmp_path, theme=css)
        )
        assert '<link rel="stylesheet" href="../assets/theme.css">' in out.split("</head>")[0]
    data = "a{background:url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='x'/>\")}"
    out = inline_first_paint(PAGE, page_url="directory/", site_dir=_site(tmp_path, theme=data))
    assert f"<style>{data}</style>" in out


def test_files_outside_the_site_or_not_built_stay_links(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (tmp_path / "secret.css").write_text("s{}", encoding="utf-8")
    page = (
        '<head><link rel="stylesheet" href="../../secret.css">'
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<link rel="stylesheet" href="../assets/missing.css"></head>'
    )
    assert page == inline_first_paint(page, page_url="directory/", site_dir=site)


def test_at_the_site_root_the_script_keeps_a_base(tmp_path: Path) -> None:
    page = '<head><script src="assets/deflectkit/deflectkit.js" async></script></head>'
    out = inline_first_paint(page, page_url="", site_dir=_site(tmp_path))
    assert '<script data-base="./">go();</script>' in out


def test_a_listed_index_that_is_not_in_the_page_is_asked_for_with_the_page() -> None:
    from deflectkit.site.directory_pages import render_directory_home
    from tests.test_site_generator import make

    providers = [make("example-a")]
    shards: dict[str, list[float | int | None]] = {"AZ": [], "NM": []}
    fetched = str(render_directory_home(providers, shards=shards, load_all=True).content)
    for key in ("AZ", "NM"):
        assert f'<link rel="preload" as="fetch" crossorigin href="index/{key}.json">' in fetched
    inline = str(
        render_directory_home(providers, shards=shards, inline={"AZ": "{}"}, load_all=True).content
    )
    national = str(render_directory_home(providers, shards=shards, load_all=False).content)
    assert 'rel="preload"' not in inline + national  # carried in the page, or chosen by place


def test_index_preloads_move_to_the_start_of_the_head(tmp_path: Path) -> None:
    preload = '<link rel="preload" as="fetch" crossorigin href="index/AZ.json">'
    page = PAGE.replace("<body>", "<body>" + preload)
    out = inline_first_paint(page, page_url="directory/", site_dir=_site(tmp_path))
    assert out.startswith("<html><head>" + preload + "<script")
    assert 1 == out.count(preload)
