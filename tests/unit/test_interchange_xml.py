"""The export readers without a database: WXR and Disqus records, namespaces, hostile XML."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from pse_desk.errors import ImportCancelled, ImportFileError
from pse_desk.interchange.disqus import read_disqus
from pse_desk.interchange.records import (
    Record,
    Skipped,
    Source,
    SourceComment,
    SourcePost,
    SourceThread,
)
from pse_desk.interchange.wxr import read_wxr
from pse_desk.interchange.xmlstream import CleanReader

DATA = Path(__file__).resolve().parents[1] / "data"


def wxr_records(data: bytes, **options: object) -> list[Record]:
    source = CleanReader(io.BytesIO(data), len(data), **options)  # type: ignore[arg-type]
    return list(read_wxr(source, "export.xml"))


def disqus_records(data: bytes) -> list[Record]:
    return list(read_disqus(CleanReader(io.BytesIO(data), len(data)), "disqus.xml"))


def wxr(items: str, namespace: str = "http://wordpress.org/export/1.2/",
        prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}\n'
            f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">\n'
            f'<channel><title>Council Notes</title><link>https://notes.example.org</link>\n'
            f'<wp:base_site_url>https://notes.example.org/</wp:base_site_url>\n'
            f'{items}</channel></rss>\n').encode()


def item(post_id: int = 1, title: str = "Rates and the rural parish", date: str =
         "2019-04-01 09:00:00", extra: str = "") -> str:
    return (f"<item><title>{title}</title><dc:creator>editor</dc:creator>"
            f"<content:encoded><![CDATA[<p>Body</p>]]></content:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
            f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>rates</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{extra}</item>\n")


def posts(records: list[Record]) -> list[SourcePost]:
    return [r for r in records if isinstance(r, SourcePost)]


def skipped(records: list[Record]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        if isinstance(r, Skipped):
            out[r.reason] = out.get(r.reason, 0) + r.count
    return out


# --- WXR --------------------------------------------------------------------------------------

def test_the_sample_export_gives_posts_with_their_fields_and_comments() -> None:
    records = wxr_records((DATA / "wxr-1.2-sample.xml").read_bytes())
    assert records[0] == Source("wxr", "https://review.example.org", "1.2")
    first, second, draft = posts(records)
    assert (first.source_id, first.slug, first.author, first.section) == (
        "101", "parish-councils-buses", "Hywel Morgan", "Localism")
    assert first.tags == ["buses", "parish councils"]
    assert first.published_at == datetime(2017, 6, 1, 8, 30)  # the GMT date
    assert first.status == "published" and "<script>" in first.html  # kept whole here
    assert second.author == "Priya Okafor" and second.section == "NHS"
    assert [c.source_id for c in first.comments] == ["501", "502", "503", "504", "507"]
    by_id = {c.source_id: c for c in first.comments}
    assert by_id["502"].parent_source_id == "501" and by_id["503"].parent_source_id == "502"
    assert [by_id[i].status for i in ("501", "503", "504", "507")] == [
        "approved", "pending", "spam", "rejected"]
    assert by_id["501"].author_email == "gwen.price@example.net"
    assert draft.published_at is None and draft.status == "draft"


def test_pages_attachments_trash_pingbacks_and_trackbacks_are_skipped_with_counts() -> None:
    found = skipped(wxr_records((DATA / "wxr-1.2-sample.xml").read_bytes()))
    assert found == {"pages (only posts are imported)": 1, "attachments": 1,
                     "posts in WordPress's trash": 1, "pingbacks": 1, "trackbacks": 1}


@pytest.mark.parametrize("namespace", [
    "http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/"])
def test_every_wxr_namespace_version_reads(namespace: str) -> None:
    records = wxr_records(wxr(item(), namespace))
    assert isinstance(records[0], Source) and records[0].version == namespace[-4:-1]
    assert [p.title for p in posts(records)] == ["Rates and the rural parish"]


def test_an_unknown_wxr_version_is_refused_in_one_sentence() -> None:
    with pytest.raises(ImportFileError, match=r"version 1\.3.*nothing was imported"):
        wxr_records(wxr(item(), "http://wordpress.org/export/1.3/"))


def test_a_plain_rss_feed_or_another_root_is_not_a_wordpress_export() -> None:
    with pytest.raises(ImportFileError, match="not a WordPress export"):
        wxr_records(b'<rss version="2.0"><channel><item><title>x</title></item></channel></rss>')
    with pytest.raises(ImportFileError, match=r"root element is <disqus>"):
        wxr_records((DATA / "disqus-sample.xml").read_bytes())


def test_control_characters_are_stripped_before_the_parser_sees_them() -> None:
    data = wxr(item(title="Rates\x00 and\x08 the\x0b rural\x1f parish"))
    source = CleanReader(io.BytesIO(data), len(data))
    records = list(read_wxr(source, "export.xml"))
    assert posts(records)[0].title == "Rates and the rural parish"
    assert source.stripped == 4 and source.done == len(data)


def test_references_to_forbidden_characters_are_stripped_and_others_kept() -> None:
    data = wxr(item(title="Rates&#1; and&#x1F; the&#xFFFE; rural&#65;&#233; parish&#xD800;"))
    source = CleanReader(io.BytesIO(data), len(data))
    records = list(read_wxr(source, "export.xml"))
    assert posts(records)[0].title == "Rates and the ruralA\u00e9 parish"
    assert source.stripped == 4


def test_a_reference_cut_by_a_chunk_boundary_is_still_stripped() -> None:
    from pse_desk.interchange.xmlstream import CHUNK

    at = wxr(item(title="@")).index(b"@")
    pad = "x" * (CHUNK - at - 3)  # the first chunk ends after "&#x"
    data = wxr(item(title=pad + "&#x1;y"))
    assert data[CHUNK - 3:CHUNK] == b"&#x"
    source = CleanReader(io.BytesIO(data), len(data))
    assert posts(list(read_wxr(source, "export.xml")))[0].title == pad + "y"
    assert source.stripped == 1


def test_zero_dates_mean_no_date_and_the_local_date_stands_in_for_a_missing_gmt_one() -> None:
    extra = "<wp:post_date>2019-04-01 10:00:00</wp:post_date>"
    data = wxr(item(date="0000-00-00 00:00:00").replace(
        "<wp:post_date>0000-00-00 00:00:00</wp:post_date>", extra))
    assert posts(wxr_records(data))[0].published_at == datetime(2019, 4, 1, 10, 0)
    assert posts(wxr_records(wxr(item(date="0000-00-00 00:00:00"))))[0].published_at is None


def test_a_bad_date_names_its_line() -> None:
    data = wxr(item(post_id=1) + item(post_id=2, date="2019-13-45 25:00:00"))
    with pytest.raises(ImportFileError) as caught:
        wxr_records(data)
    line = next(n for n, text in enumerate(data.decode().splitlines(), 1) if "2019-13-45" in text)
    assert f"line {line}" in str(caught.value) and "2019-13-45" in str(caught.value)


def test_a_file_that_is_not_xml_gives_line_and_column() -> None:
    with pytest.raises(ImportFileError, match=r"line 1, column \d+; nothing was imported"):
        wxr_records(b"Title,Body\nRates,Body\n")
    with pytest.raises(ImportFileError, match="empty or not XML"):
        wxr_records(b"")


def test_a_truncated_export_gives_line_and_column() -> None:
    data = wxr(item(post_id=1) + item(post_id=2))
    with pytest.raises(ImportFileError, match=r"cut short.*line \d+, column \d+"):
        wxr_records(data[: len(data) * 2 // 3])


def test_a_billion_laughs_is_not_expanded() -> None:
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    prolog = f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}]>'
    start = time.perf_counter()
    try:
        records = wxr_records(wxr(item(title="Rates &lol9;"), prolog=prolog))
    except ImportFileError as refused:  # libxml2 refuses the amplification: as good
        assert "amplification" in str(refused) and "line 1" in str(refused)
    else:
        assert [p.title for p in posts(records)] == ["Rates"]  # the reference left out
    assert time.perf_counter() - start < 2


def test_an_external_entity_reads_no_file() -> None:
    secret = Path(__file__)  # any local file: its text must not turn up in a record
    prolog = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    records = wxr_records(wxr(item(title="Rates &xxe;"), prolog=prolog))
    assert [p.title for p in posts(records)] == ["Rates"]


def test_a_cancel_stops_the_read() -> None:
    flag = threading.Event()
    flag.set()
    with pytest.raises(ImportCancelled):
        wxr_records(wxr(item()), cancel=flag)


def test_progress_hears_bytes_of_the_file_size() -> None:
    heard: list[tuple[int, int, str]] = []
    data = wxr(item())
    wxr_records(data, progress=lambda d, t, w: heard.append((d, t, w)))
    assert heard and heard[-1][:2] == (len(data), len(data))


# --- Disqus -----------------------------------------------------------------------------------

def test_the_disqus_sample_gives_threads_then_comments_with_parents_and_statuses() -> None:
    records = disqus_records((DATA / "disqus-sample.xml").read_bytes())
    assert records[0] == Source("disqus", "publicsectorreview", "")
    threads = [r for r in records if isinstance(r, SourceThread)]
    assert [t.source_id for t in threads] == ["8001", "8002", "8003", "8004"]
    assert threads[0].created_at == datetime(2017, 6, 1, 8, 31)
    comments = {r.source_id: r for r in records if isinstance(r, SourceComment)}
    assert comments["9003"].parent_source_id == "9001"
    assert comments["9003"].thread_source_id == "8001"
    assert {i: c.status for i, c in comments.items()} == {
        "9001": "approved", "9003": "approved", "9002": "approved", "9004": "spam",
        "9005": "rejected", "9006": "pending"}
    assert "no say over the bus franchise" in comments["9005"].body  # deleted: text kept
    assert comments["9001"].author_email == "dafydd.rees@example.net"


def test_a_deleted_thread_is_left_out_with_its_posts_and_counted() -> None:
    data = (b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<disqus xmlns="http://disqus.com" '
            b'xmlns:dsq="http://disqus.com/disqus-internals">\n'
            b'<thread dsq:id="1"><link>https://x.example/a</link><title>Kept</title>'
            b'<createdAt>2020-01-01T10:00:00Z</createdAt><isDeleted>false</isDeleted></thread>\n'
            b'<thread dsq:id="2"><link>https://x.example/b</link><title>Gone</title>'
            b'<createdAt>2020-01-01T10:00:00Z</createdAt><isDeleted>true</isDeleted></thread>\n'
            + b"".join(b'<post dsq:id="%d"><message>Hi</message>'
                       b'<createdAt>2020-01-02T10:00:00Z</createdAt>'
                       b'<thread dsq:id="%d"/></post>\n' % (10 + n, 1 if n == 0 else 2)
                       for n in range(3))
            + b"</disqus>\n")
    records = disqus_records(data)
    assert [t.title for t in records if isinstance(t, SourceThread)] == ["Kept"]
    assert [c.source_id for c in records if isinstance(c, SourceComment)] == ["10"]
    assert skipped(records) == {"deleted Disqus threads": 1,
                                "posts of deleted Disqus threads": 2}


def test_a_wxr_file_is_not_a_disqus_export() -> None:
    with pytest.raises(ImportFileError, match=r"not a Disqus export.*<rss>"):
        disqus_records((DATA / "wxr-1.2-sample.xml").read_bytes())
