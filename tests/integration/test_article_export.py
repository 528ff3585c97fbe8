"""Export article as HTML (the job behind File > Export article as HTML…): one standalone,
sanitised page with stored images embedded; hostile text gives a sentence, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pse_desk.services import article_export as export
from pse_desk.services.article_export import (
    ExportError,
    export_article_html,
    suggested_file_name,
)
from pse_desk.services.articles import create_article, set_remote_images
from pse_desk.services.assets import insert_image
from pse_desk.services.revisions import ArticleText
from pse_desk.store import Store

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_export_embeds_stored_images_and_strips_scripts(store: Store,
                                                           tmp_path: Path) -> None:
    article = create_article(store, "Bins go digital")
    image_file = tmp_path / "bin.png"
    image_file.write_bytes(PNG)
    image = insert_image(store, image_file, article_id=article.id, alt="A bin")
    text = ArticleText("Bins go digital", "Sensors tell crews when to come.",
                       f"Intro.\n\n{image.markdown}\n\n<img src=x onerror=alert(1)>\n")
    done = export_article_html(store, article.id, text, tmp_path / "bins")
    assert done.path == tmp_path / "bins.html"
    assert done.notes == ()  # the stored image is inside; the hostile one never had a source
    html = done.path.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    assert "onerror" not in html and "pse-asset:" not in html
    assert "Sensors tell crews when to come." in html


def test_the_export_says_which_remote_images_it_left_out(store: Store, tmp_path: Path) -> None:
    article = create_article(store, "Remote")
    text = ArticleText("Remote", "", "![Town hall](https://example.org/hall.jpg)\n\n"
                                     "![Gone](pse-asset:0000-missing)\n")
    done = export_article_html(store, article.id, text, tmp_path / "remote.html")
    assert done.notes[0].startswith("1 remote image was left out (https://example.org/hall.jpg)")
    assert "View > Load remote images" in done.notes[0]
    assert done.notes[1] == "1 stored image was not found in the database and left out."
    assert done.sentence.startswith(f"Exported the article to {done.path}. 1 remote image")
    html = done.path.read_text(encoding="utf-8")
    assert "example.org" not in html and 'alt="Town hall"' in html
    set_remote_images(store, article.id, True)  # allowed: kept as a link, nothing said
    done = export_article_html(store, article.id, text, tmp_path / "remote.html")
    assert 'src="https://example.org/hall.jpg"' in done.path.read_text(encoding="utf-8")
    assert not any("remote" in note for note in done.notes)


def test_text_that_cannot_be_rendered_in_time_is_refused_with_a_sentence(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "EXPORT_DEADLINE_S", 0.5)
    article = create_article(store, "Hostile")
    hostile = ArticleText("Hostile", "", "[" * 20000 + "a" + "]" * 20000)
    started = time.monotonic()
    with pytest.raises(ExportError) as refused:
        export_article_html(store, article.id, hostile, tmp_path / "hostile.html")
    assert time.monotonic() - started < 30
    assert str(refused.value).endswith(".")
    assert not (tmp_path / "hostile.html").exists()


def test_the_suggested_file_name_comes_from_the_title() -> None:
    assert suggested_file_name("Councils pool their payroll!") == \
        "councils-pool-their-payroll.html"
    assert suggested_file_name("") == "untitled.html"
