"""Sync with the hub: merge revisions, the text each article last synced, the sync log, and
the desk's hub settings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:00:00

Revisions may now be of kind "merge" (two desks' changes to an article merged by themselves).
``sync_base`` keeps, per article, the version this desk last exchanged with the hub (its HLC
and text): the common ancestor of a three-way merge. ``sync_run`` is the sync log: one row per
run with its counts and its error. ``sync_state`` learns the hub's URL (never a password), the
role the desk syncs as, the desk's clock offset from the hub, and per role the last outbox
number the hub acknowledged (a hub that lost them, restored from a backup, is noticed). Local-only tables: they are
created on the hub too (the same migrations) and stay empty there.

On SQLite the outbox's numbers become AUTOINCREMENT: once pushed entries are deleted a number
is never handed out again, so the hub can tell a re-sent batch by its numbers. The outbox is
indexed by row id: a push batch must carry the queued parents of its rows.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_KINDS = ('autosave', 'manual', 'restore', 'conflict', 'import')
NEW_KINDS = (*OLD_KINDS, 'merge')


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


CHANGE_LOG_AUTOINCREMENT = [
    """CREATE TABLE change_log_new (
        seq INTEGER NOT NULL CONSTRAINT pk_change_log PRIMARY KEY AUTOINCREMENT,
        table_name VARCHAR(40) NOT NULL,
        row_id VARCHAR(36) NOT NULL,
        hlc VARCHAR(64) NOT NULL,
        base_hlc VARCHAR(64) NOT NULL,
        payload JSON)""",
    "INSERT INTO change_log_new (seq, table_name, row_id, hlc, base_hlc, payload) "
    "SELECT seq, table_name, row_id, hlc, base_hlc, payload FROM change_log",
    "DROP TABLE change_log",
    "ALTER TABLE change_log_new RENAME TO change_log",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in CHANGE_LOG_AUTOINCREMENT:
            op.execute(statement)
    # the push finds the queued changes of a row (the parents a batch must carry) by its id
    op.create_index('ix_change_log_row_id', 'change_log', ['row_id'], unique=False)
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_revision_revision_kind'), type_='check')
        batch_op.create_check_constraint('revision_kind', _kind_check(NEW_KINDS))
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hub_url', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('role', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('clock_offset_ms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('acked', sa.JSON(), nullable=True))
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.alter_column('hub_url', server_default=None, existing_type=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column('role', server_default=None, existing_type=sa.String(length=16),
                              existing_nullable=False)
    op.create_table(
        'sync_base',
        sa.Column('article_id', sa.String(length=36), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('standfirst', sa.Text(), nullable=False),
        sa.Column('body_md', sa.Text(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('article_id', name=op.f('pk_sync_base')),
    )
    op.create_table(
        'sync_run',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('hub', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('pushed', sa.Integer(), nullable=False),
        sa.Column('pulled', sa.Integer(), nullable=False),
        sa.Column('merged', sa.Integer(), nullable=False),
        sa.Column('conflicts', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_run')),
    )


def downgrade() -> None:
    op.drop_index('ix_change_log_row_id', table_name='change_log')
    op.drop_table('sync_run')
    op.drop_table('sync_base')
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.drop_column('acked')
        batch_op.drop_column('clock_offset_ms')
        batch_op.drop_column('role')
        batch_op.drop_column('hub_url')
    op.execute("DELETE FROM revision WHERE kind = 'merge'")
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_revision_revision_kind'), type_='check')
        batch_op.create_check_constraint('revision_kind', _kind_check(OLD_KINDS))
