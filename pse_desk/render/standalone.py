"""One self-contained HTML file for an article: CSS inlined, stored images embedded.

This is File > Export article as HTML and ``pse-desk render``. The page is the site page of
``render_page``; the body is sanitised block by block, and in that same nh3 pass every
``pse-asset:ID`` image becomes a ``data:`` URI of the stored image (our own, trusted bytes —
``data:`` is never accepted from the text itself). An image whose asset is missing, or is not
a raster image type, loses its source and shows its alt text.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping

from pse_desk.render.markdown import BlockRenderer, RenderResult, block_container, whole_text
from pse_desk.render.page import PageArticle, PageLayout, render_page
from pse_desk.render.sanitise import ASSET_SCHEME, sanitise_article

EMBEDDABLE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"})

Assets = Mapping[str, tuple[str, bytes]]  # asset id -> (mime type, bytes)


def asset_url(asset_id: str) -> str:
    """The URL an article uses for an image stored in the database."""
    return f"{ASSET_SCHEME}:{asset_id}"


def asset_id_from_url(url: str) -> str | None:
    """The asset id in ``pse-asset:ID`` (also ``pse-asset:/ID`` and ``pse-asset://ID``)."""
    prefix = ASSET_SCHEME + ":"
    if not url.startswith(prefix):
        return None
    asset_id = url[len(prefix):].lstrip("/").split("?", 1)[0].split("#", 1)[0]
    return asset_id or None


def _embedder(assets: Assets) -> Callable[[str], str | None]:
    cache: dict[str, str | None] = {}

    def embed(url: str) -> str | None:
        if url not in cache:
            asset_id = asset_id_from_url(url)
            found = assets.get(asset_id) if asset_id is not None else None
            if found is None or found[0].lower() not in EMBEDDABLE_TYPES:
                cache[url] = None
            else:
                data = base64.b64encode(found[1]).decode("ascii")
                cache[url] = f"data:{found[0].lower()};base64,{data}"
        return cache[url]

    return embed


def standalone_html(md: str, article: PageArticle, layout: PageLayout, assets: Assets, *,
                    rendered: RenderResult | None = None,
                    dropped_images: list[str] | None = None) -> str:
    """The article as one sanitised, self-contained HTML page.

    ``rendered`` is the result of a ``RenderProcess`` render of ``md`` (the CLI passes it, so
    hostile text never hangs this process); without it ``md`` is rendered here. The sources of
    images left out go to ``dropped_images``.
    """
    if rendered is None:
        rendered = BlockRenderer().render(md, allow_remote_images=article.allow_remote_images)
    rendered = whole_text(rendered, md)  # a saved page holds every word of a plain block
    embed = _embedder(assets)
    body = "".join(
        block_container(type(block)(block.id, block.line, sanitise_article(
            block.html, allow_remote_images=article.allow_remote_images, image_source=embed,
            dropped_images=dropped_images)))
        for block in rendered.blocks)
    return render_page(article, layout, body_html=body, mode="screen", base_css_inline=True)
