"""Article and image use cases against a real SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.services.articles import (
    ArticleMetadata,
    create_article,
    delete_article,
    duplicate_article,
    save_body,
    save_metadata,
    set_remote_images,
    undelete_article,
)
from pse_desk.services.assets import (
    MAX_IMAGE_BYTES,
    fetch_asset,
    image_markdown,
    insert_image,
)
from pse_desk.store import Store
from pse_desk.store.model import Article, ArticleStatus, Asset, ChangeLog

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
             b"\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def article(store: Store, article_id: str) -> Article:
    with store.read_session() as s:
        found = s.get(Article, article_id)
        assert found is not None
        return found


def test_a_new_article_is_a_draft_with_a_slug_made_from_its_title(store: Store) -> None:
    ref = create_article(store, "  Café   society: the £2bn question ", section="Finance")
    saved = article(store, ref.id)
    assert ref.slug == "cafe-society-the-2bn-question"
    assert saved.title == "Café society: the £2bn question"
    assert saved.status is ArticleStatus.DRAFT
    assert saved.section == "Finance"
    assert saved.hlc and saved.origin == store.device_id


def test_slugs_stay_unique_even_against_deleted_articles(store: Store) -> None:
    first = create_article(store, "Budget day")
    delete_article(store, first.id)
    second = create_article(store, "Budget day")
    third = create_article(store, "Budget  day!")
    assert [first.slug, second.slug, third.slug] == ["budget-day", "budget-day-2", "budget-day-3"]


def test_creating_writes_an_outbox_entry(store: Store) -> None:
    ref = create_article(store, "Synced")
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)
                        .where(ChangeLog.row_id == ref.id)) == 1


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_a_title_is_required_and_not_too_long(store: Store, title: str) -> None:
    with pytest.raises(ValidationError) as raised:
        create_article(store, title)
    assert str(raised.value).endswith(".")


def test_duplicating_copies_text_and_metadata_into_a_new_draft(store: Store) -> None:
    ref = create_article(store, "Localism", section="Devolution", author="A. Writer",
                         standfirst="Power closer to people", body_md="## One\n\nText.")
    save_metadata(store, ref.id, ArticleMetadata(
        "Localism", "Power closer to people", "Devolution", "A. Writer",
        ArticleStatus.PUBLISHED, ["localism", "devolution"]))
    copy = duplicate_article(store, ref.id)
    copied = article(store, copy.id)
    assert copy.title == "Copy of Localism"
    assert copy.slug == "copy-of-localism"
    assert copied.body_md == "## One\n\nText."
    assert copied.standfirst == "Power closer to people"
    assert copied.tags == ["localism", "devolution"]
    assert copied.status is ArticleStatus.DRAFT
    assert copied.published_at is None
    assert duplicate_article(store, ref.id).slug == "copy-of-localism-2"


def test_deleting_is_a_tombstone_that_undelete_brings_back(store: Store) -> None:
    ref = create_article(store, "Gone for a moment", body_md="Words.")
    delete_article(store, ref.id)
    assert article(store, ref.id).deleted
    with pytest.raises(NotFoundError):
        save_body(store, ref.id, "more")
    undelete_article(store, ref.id)
    restored = article(store, ref.id)
    assert not restored.deleted
    assert restored.body_md == "Words."


def test_publishing_stamps_published_at_and_unpublishing_clears_it(store: Store) -> None:
    ref = create_article(store, "News", body_md="Some text.")
    meta = ArticleMetadata("News", status="published")
    save_metadata(store, ref.id, meta)
    first = article(store, ref.id).published_at
    assert first is not None
    save_metadata(store, ref.id, meta)
    assert article(store, ref.id).published_at == first  # republishing keeps the date
    save_metadata(store, ref.id, ArticleMetadata("News", status=ArticleStatus.READY))
    assert article(store, ref.id).published_at is None


def test_an_empty_article_cannot_be_published(store: Store) -> None:
    ref = create_article(store, "Empty")
    with pytest.raises(ValidationError, match="needs some text"):
        save_metadata(store, ref.id, ArticleMetadata("Empty", status="published"))


def test_metadata_validation_speaks_in_sentences(store: Store) -> None:
    ref = create_article(store, "Meta")
    with pytest.raises(ValidationError, match="not a status"):
        save_metadata(store, ref.id, ArticleMetadata("Meta", status="archived"))
    with pytest.raises(ValidationError, match="too long"):
        save_metadata(store, ref.id, ArticleMetadata("Meta", tags=["t" * 61]))
    other = create_article(store, "Other")
    with pytest.raises(ValidationError, match="already uses"):
        save_metadata(store, ref.id, ArticleMetadata("Meta", slug=other.slug))
    with pytest.raises(ValidationError, match="lower-case"):
        save_metadata(store, ref.id, ArticleMetadata("Meta", slug="Not A Slug"))


def test_tags_are_trimmed_and_repeats_dropped(store: Store) -> None:
    ref = create_article(store, "Tags")
    save_metadata(store, ref.id, ArticleMetadata(
        "Tags", tags=[" Housing ", "housing", "", "local  government", "Housing"],
        slug="tagged-article"))
    saved = article(store, ref.id)
    assert saved.tags == ["Housing", "local government"]
    assert saved.slug == "tagged-article"


def test_the_body_is_saved_intact_with_nul_characters_and_any_unicode(store: Store) -> None:
    body = "Before\x00after – “quotes” ✓ \U0001f600\n" + "x" * 10_000_000
    ref = create_article(store, "Odd text")
    save_body(store, ref.id, body)
    assert article(store, ref.id).body_md == body


# --- images -------------------------------------------------------------------------------

def test_inserting_a_png_stores_it_and_returns_markdown(store: Store, tmp_path: Path) -> None:
    ref = create_article(store, "Pictures")
    picture = tmp_path / "hall.png"
    picture.write_bytes(PNG_BYTES)
    inserted = insert_image(store, picture, article_id=ref.id, alt="The town hall")
    assert inserted.markdown == f"![The town hall](pse-asset:{inserted.asset_id})"
    assert inserted.mime == "image/png"
    fetched = fetch_asset(store, inserted.asset_id)
    assert (fetched.mime, fetched.data) == ("image/png", PNG_BYTES)
    with store.read_session() as s:
        asset = s.get(Asset, inserted.asset_id)
        assert asset is not None
        assert (asset.filename, asset.article_id) == ("hall.png", ref.id)


def test_alt_text_brackets_are_escaped_in_the_markdown() -> None:
    assert image_markdown("abc", "a [b]\\c") == "![a \\[b\\]\\\\c](pse-asset:abc)"


def test_a_renamed_text_file_is_not_an_image(store: Store, tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("this is not a photo")
    with pytest.raises(ValidationError, match="not an image"):
        insert_image(store, fake)


def test_an_empty_file_is_refused(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="empty"):
        insert_image(store, empty)


def test_an_image_over_20_mb_is_refused_with_its_size(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as fh:
        fh.write(PNG_BYTES)
        fh.truncate(MAX_IMAGE_BYTES + 1)
    with pytest.raises(ValidationError, match="at most 20 MB"):
        insert_image(store, big)


def test_a_file_name_that_is_not_utf8_is_refused(store: Store, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.png"
    try:
        with open(raw, "wb") as fh:
            fh.write(PNG_BYTES)
    except OSError as exc:  # some file systems refuse such names themselves
        pytest.skip(f"this file system refuses non-UTF-8 names: {exc}")
    for path in (raw, os.fsdecode(raw)):
        with pytest.raises(ValidationError, match="not valid UTF-8"):
            insert_image(store, path)


def test_missing_files_and_folders_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        insert_image(store, tmp_path / "nowhere.png")
    with pytest.raises(ValidationError, match="not a file"):
        insert_image(store, tmp_path)


def test_svg_is_stored_sanitised_and_served_as_an_image(store: Store, tmp_path: Path) -> None:
    drawing = tmp_path / "chart.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                       '<script>alert(2)</script><rect width="4" height="4"/></svg>')
    inserted = insert_image(store, drawing)
    served = fetch_asset(store, inserted.asset_id)
    assert served.mime == "image/svg+xml"
    assert b"<rect" in served.data
    assert b"alert" not in served.data


def test_a_hostile_svg_that_arrived_by_sync_is_cleaned_when_served(store: Store) -> None:
    with store.session() as s:
        asset = Asset(filename="x.svg", mime="image/svg+xml",
                      data=b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                           b'<circle r="1"/></svg>')
        s.add(asset)
        s.commit()
        asset_id = asset.id
    served = fetch_asset(store, asset_id)
    assert b"script" not in served.data
    assert b"circle" in served.data


def test_fetching_a_missing_or_deleted_asset_says_so(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        fetch_asset(store, "no-such-id")
    picture = tmp_path / "a.gif"
    picture.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    inserted = insert_image(store, picture)
    with store.session() as s:
        row = s.get(Asset, inserted.asset_id)
        assert row is not None
        row.deleted = True
        s.commit()
    with pytest.raises(NotFoundError):
        fetch_asset(store, inserted.asset_id)


def test_the_remote_images_choice_is_kept_per_article_and_synced(store: Store) -> None:
    ref = create_article(store, "Pictures from the ward")
    other = create_article(store, "No pictures here")
    set_remote_images(store, ref.id, True)
    assert article(store, ref.id).allow_remote_images
    assert not article(store, other.id).allow_remote_images
    with store.read_session() as s:
        logged = s.scalars(select(ChangeLog).where(ChangeLog.row_id == ref.id)
                           .order_by(ChangeLog.seq.desc())).first()
    assert logged is not None and logged.payload is not None
    assert logged.payload["allow_remote_images"] is True
