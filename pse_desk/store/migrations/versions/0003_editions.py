"""Print editions: issue number, marks, table of contents, the layout whose panels print,
where a panel prints, and the proofs an export records.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09 02:00:00

Existing editions keep every value and item. They get crop and cross marks and a table of
contents (what the print stylesheet always gave them), no issue number, and the layout named
"print" when a live one exists (else none: the panels their items name still print). Existing
items print where they stand ("inline"). Like 0002 this writes no outbox entries: every desk
runs the same migration on the same synced rows and reaches the same values.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column[object]]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('origin', sa.String(length=64), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
    ]


def _print_layout_id(bind: sa.Connection) -> object:
    layout = sa.table('layout', sa.column('id'), sa.column('name'), sa.column('deleted'))
    return bind.execute(sa.select(layout.c.id).where(
        layout.c.name == 'print', layout.c.deleted == sa.false())
        .order_by(layout.c.id).limit(1)).scalar()


def upgrade() -> None:
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issue_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('crop_marks', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('cross_marks', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('toc', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('layout_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_edition_layout_id_layout'), 'layout',
                                    ['layout_id'], ['id'])
    with op.batch_alter_table('edition_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placement', sa.String(length=16), nullable=False,
                                      server_default='inline'))
    bind = op.get_bind()
    printed = _print_layout_id(bind)
    if printed is not None:
        edition = sa.table('edition', sa.column('layout_id'))
        bind.execute(edition.update().where(edition.c.layout_id.is_(None))
                     .values(layout_id=printed))
    with op.batch_alter_table('edition', schema=None) as batch_op:
        for column in ('crop_marks', 'cross_marks', 'toc'):
            batch_op.alter_column(column, server_default=None, existing_type=sa.Boolean(),
                                  existing_nullable=False)
    with op.batch_alter_table('edition_item', schema=None) as batch_op:
        batch_op.alter_column('placement', server_default=None,
                              existing_type=sa.String(length=16), existing_nullable=False)
    op.create_table(
        'edition_proof',
        sa.Column('edition_id', sa.String(length=36), nullable=False),
        sa.Column('variant', sa.String(length=20), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('inputs', sa.JSON(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_edition_proof_edition_id_edition')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_edition_proof')),
    )
    with op.batch_alter_table('edition_proof', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edition_proof_edition_id'), ['edition_id'],
                              unique=False)


def downgrade() -> None:
    """Back to 0002: the proofs and the new settings go; editions and their items stay."""
    op.drop_table('edition_proof')
    with op.batch_alter_table('edition_item', schema=None) as batch_op:
        batch_op.drop_column('placement')
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_edition_layout_id_layout'), type_='foreignkey')
        for column in ('layout_id', 'toc', 'cross_marks', 'crop_marks', 'issue_number'):
            batch_op.drop_column(column)
