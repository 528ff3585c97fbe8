"""Named layouts: panels and items belong to a layout, ordered by fractional-index keys, with
scheduled pins, richer sources and a timeline of saved layout versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 03:10:00

Existing panels are kept, every one of them: they become the panels of one layout, "web",
which is active. Positions become fractional-index keys in the same order (per region, then
per panel for items); "section" panels become "latest" panels of that section, "manual"
panels "picked" ones, or "links" when all they hold are external links (the TV panel).

Every desk and the hub run this same migration on the same rows, so its result is the same
everywhere: the layout's id is derived from its name (uuid5), the keys from the order. That is
why it writes no outbox entries: there is nothing for one desk to tell another. Region and
source lose their CHECK constraints: the site template decides which regions exist, and a
panel in a region it no longer has waits in the Layout workspace's "unplaced" tray.
"""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from fractional_indexing import generate_n_keys_between

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

WEB_LAYOUT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "pse-desk:layout/web"))
_OLD_REGION = sa.Enum('sidebar', 'main', 'footer', name='panel_region', native_enum=False,
                      create_constraint=True, length=16)
_OLD_SOURCE = sa.Enum('section', 'manual', name='panel_source', native_enum=False,
                      create_constraint=True, length=16)


def _synced_columns() -> list[sa.Column[object]]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('origin', sa.String(length=64), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
    ]


def _create_layout_table() -> None:
    op.create_table(
        'layout',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_layout')),
    )
    # the same row on every desk and the hub; its hlc is empty: it was never changed by anyone
    now = datetime(2026, 12, 2)  # fixed, so every database holds the same row
    op.bulk_insert(sa.table('layout', sa.column('id'), sa.column('name'), sa.column('active'),
                            sa.column('description'), sa.column('hlc'), sa.column('origin'),
                            sa.column('deleted'), sa.column('created_at'),
                            sa.column('updated_at')),
                   [{'id': WEB_LAYOUT_ID, 'name': 'web', 'active': True,
                     'description': 'The site as readers see it.', 'hlc': '', 'origin': '',
                     'deleted': False, 'created_at': now, 'updated_at': now}])


def _create_version_table() -> None:
    op.create_table(
        'layout_version',
        sa.Column('layout_id', sa.String(length=36), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('author', sa.String(length=120), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(['layout_id'], ['layout.id'],
                                name=op.f('fk_layout_version_layout_id_layout')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_layout_version')),
    )
    with op.batch_alter_table('layout_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_layout_version_layout_id'), ['layout_id'],
                              unique=False)


def _widen_panel() -> None:
    with op.batch_alter_table('panel', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_panel_key'), type_='unique')
        batch_op.drop_constraint(op.f('ck_panel_panel_region'), type_='check')
        batch_op.drop_constraint(op.f('ck_panel_panel_source'), type_='check')
        batch_op.alter_column('region', existing_type=sa.String(length=16),
                              type_=sa.String(length=40), existing_nullable=False)
        batch_op.add_column(sa.Column('layout_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('rank', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('source_sections', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('source_tags', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('source_author', sa.String(length=120), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('more_url', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('dedupe', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('panel_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pinned_from', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('pinned_until', sa.DateTime(), nullable=True))


def _ranked(rows: list[sa.Row[tuple[object, ...]]]) -> list[tuple[object, str]]:
    keys = generate_n_keys_between(None, None, len(rows)) if rows else []
    return [(row[0], key) for row, key in zip(rows, keys, strict=True)]


def _move_panel_data() -> None:
    bind = op.get_bind()
    panel = sa.table('panel', sa.column('id'), sa.column('region'), sa.column('position'),
                     sa.column('title'), sa.column('source'), sa.column('source_query'),
                     sa.column('layout_id'), sa.column('rank'),
                     sa.column('source_sections', sa.JSON()), sa.column('source_tags', sa.JSON()))
    item = sa.table('panel_item', sa.column('id'), sa.column('panel_id'), sa.column('position'),
                    sa.column('article_id'), sa.column('deleted'), sa.column('rank'))
    regions = bind.execute(sa.select(panel.c.region).distinct()).scalars().all()
    for region in regions:
        rows = bind.execute(sa.select(panel.c.id).where(panel.c.region == region)
                            .order_by(panel.c.position, panel.c.title, panel.c.id)).all()
        for panel_id, key in _ranked(list(rows)):
            bind.execute(panel.update().where(panel.c.id == panel_id).values(rank=key))
    for panel_id, source, query in bind.execute(
            sa.select(panel.c.id, panel.c.source, panel.c.source_query)).all():
        items = bind.execute(sa.select(item.c.id).where(item.c.panel_id == panel_id)
                             .order_by(item.c.position, item.c.id)).all()
        for item_id, key in _ranked(list(items)):
            bind.execute(item.update().where(item.c.id == item_id).values(rank=key))
        bind.execute(panel.update().where(panel.c.id == panel_id).values(
            layout_id=WEB_LAYOUT_ID, source=_new_source(bind, item, panel_id, source),
            source_sections=[query] if source == 'section' and query else [], source_tags=[]))


def _new_source(bind: sa.Connection, item: sa.TableClause, panel_id: object,
                source: object) -> str:
    if source == 'section':
        return 'latest'
    live = sa.and_(item.c.panel_id == panel_id, item.c.deleted == sa.false())
    articles = bind.execute(sa.select(sa.func.count()).select_from(item)
                            .where(live, item.c.article_id.is_not(None))).scalar_one()
    links = bind.execute(sa.select(sa.func.count()).select_from(item)
                         .where(live, item.c.article_id.is_(None))).scalar_one()
    return 'links' if links and not articles else 'picked'


def _tighten_panel() -> None:
    with op.batch_alter_table('panel', schema=None) as batch_op:
        batch_op.alter_column('layout_id', existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column('rank', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('source_sections', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('source_tags', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('source_author', server_default=None,
                              existing_type=sa.String(length=120), existing_nullable=False)
        batch_op.alter_column('more_url', server_default=None, existing_type=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column('dedupe', server_default=None, existing_type=sa.Boolean(),
                              existing_nullable=False)
        batch_op.drop_column('position')
        batch_op.drop_column('source_query')
        batch_op.create_index(batch_op.f('ix_panel_layout_id'), ['layout_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_panel_layout_id_layout'), 'layout',
                                    ['layout_id'], ['id'])
    with op.batch_alter_table('panel_item', schema=None) as batch_op:
        batch_op.alter_column('rank', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('position')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.create_index('ix_article_status_published', ['status', 'published_at'],
                              unique=False)


def upgrade() -> None:
    _create_layout_table()
    _create_version_table()
    _widen_panel()
    _move_panel_data()
    _tighten_panel()


def downgrade() -> None:
    """Back to one list of panels: the active layout's (the others' panels are dropped)."""
    bind = op.get_bind()
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index('ix_article_status_published')
    with op.batch_alter_table('panel_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('panel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('source_query', sa.String(length=200), nullable=False,
                                      server_default=''))
    _positions_back(bind)
    with op.batch_alter_table('panel_item', schema=None) as batch_op:
        batch_op.drop_column('pinned_until')
        batch_op.drop_column('pinned_from')
        batch_op.drop_column('rank')
    with op.batch_alter_table('panel', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_panel_layout_id_layout'), type_='foreignkey')
        batch_op.drop_index('ix_panel_layout_id')
        for column in ('layout_id', 'rank', 'source_sections', 'source_tags', 'source_author',
                       'more_url', 'dedupe'):
            batch_op.drop_column(column)
        batch_op.alter_column('region', existing_type=sa.String(length=40), type_=_OLD_REGION,
                              existing_nullable=False)
        batch_op.alter_column('source', existing_type=sa.String(length=16), type_=_OLD_SOURCE,
                              existing_nullable=False)
        batch_op.create_unique_constraint(op.f('uq_panel_key'), ['key'])
    op.drop_table('layout_version')
    op.drop_table('layout')


def _positions_back(bind: sa.Connection) -> None:
    panel = sa.table('panel', sa.column('id'), sa.column('layout_id'), sa.column('rank'),
                     sa.column('position'), sa.column('source'), sa.column('source_query'),
                     sa.column('source_sections', sa.JSON()), sa.column('region'),
                     sa.column('key'), sa.column('deleted'))
    item = sa.table('panel_item', sa.column('id'), sa.column('panel_id'), sa.column('rank'),
                    sa.column('position'))
    layout = sa.table('layout', sa.column('id'), sa.column('active'), sa.column('deleted'),
                      sa.column('hlc'), sa.column('name'))
    # the layout the site shows, chosen as services.layout.read.active_layout_id does: of the
    # live ones marked active the one marked last, else the first by name (never None while a
    # live layout exists: "layout_id != None" below would remove every panel)
    live = layout.c.deleted == sa.false()
    keep = bind.execute(sa.select(layout.c.id).where(live, layout.c.active == sa.true())
                        .order_by(layout.c.hlc.desc(), layout.c.id).limit(1)).scalar() \
        or bind.execute(sa.select(layout.c.id).where(live)
                        .order_by(sa.func.lower(layout.c.name), layout.c.id).limit(1)).scalar()
    others = sa.select(panel.c.id).where(panel.c.layout_id != keep).scalar_subquery()
    edition_item = sa.table('edition_item', sa.column('panel_id'))
    bind.execute(sa.delete(edition_item).where(edition_item.c.panel_id.in_(others)))
    bind.execute(sa.delete(item).where(item.c.panel_id.in_(others)))
    bind.execute(sa.delete(panel).where(panel.c.layout_id != keep))
    # 0001 holds a key once; here a key is unique only among a layout's live panels (a removed
    # panel keeps its key when a new one takes it, two desks may pick the same): the live and
    # first placed panel keeps it, the others get their id added
    taken: set[str] = set()
    for panel_id, key in bind.execute(sa.select(panel.c.id, panel.c.key).order_by(
            panel.c.deleted, panel.c.rank, panel.c.id)).all():
        if key in taken:
            key = f"{str(key)[:23]}_{panel_id}"
            bind.execute(panel.update().where(panel.c.id == panel_id).values(key=key))
        taken.add(key)
    for position, (panel_id, source, sections, region) in enumerate(bind.execute(
            sa.select(panel.c.id, panel.c.source, panel.c.source_sections, panel.c.region)
            .order_by(panel.c.rank, panel.c.id)).all()):
        section = sections[0] if source == 'latest' and sections else ''
        bind.execute(panel.update().where(panel.c.id == panel_id).values(
            position=position, source='section' if source == 'latest' else 'manual',
            source_query=section,
            region=region if region in ('sidebar', 'main', 'footer') else 'sidebar'))
    for position, (item_id,) in enumerate(bind.execute(
            sa.select(item.c.id).order_by(item.c.panel_id, item.c.rank, item.c.id)).all()):
        bind.execute(item.update().where(item.c.id == item_id).values(position=position))
