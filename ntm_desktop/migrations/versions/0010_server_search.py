"""the register's folded search on the office's PostgreSQL server: a narrow word table with a full-text index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12

On PostgreSQL, `directive_words` holds one row per directive that is not deleted: its office, its year in the
register, its type and urgency (the register's filters, so that a search with them is counted here too) and the
words of its folded search text (`search_folded`) as a tsvector under a GIN index. A trigger on `directives`
keeps it, as FTS5's triggers keep `directive_fts` on the SQLite file. The words are the runs of
[0-9a-z] of the folded text, the tokens the search looks for, so a word prefix ("nong:*") finds what FTS5 finds,
and their positions are their order in the text, so a quoted phrase is "nong <-> thon <-> moi:*".

tsvector keeps at most 256 positions of a word and none past 16,383, and at most 1 MB: a text where a position
was lost (long, or a word repeated over and over) has `exact` false, and a phrase is looked for there in the
folded text itself; a text over 300,000 characters gets its words without positions (and, if it is only
distinct numbers, its first ~100,000 words: the save is never refused).

The table is narrow (about 490 bytes a row against 1.4 kB for a directive), so that counting 40,000 matches among
100,000 directives reads 6,200 pages instead of 18,000. It replaces 0001's trigram index over `search_folded`
(dropped here): the search no longer reads it, and it needed the pg_trgm extension, which a server without
PostgreSQL's contrib package, or a user who may not create extensions, does not have. Only PostgreSQL's own
features are used here (tsvector, GIN, PL/pgSQL).

Nothing changes on the SQLite file.
"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# The words of a folded text with their positions (the text's [0-9a-z] runs, one space apart, read by the
# 'simple' configuration: one lexeme per run, unchanged), and whether every position was kept. Past 300,000
# characters (or with a run of 2,048 characters, which tsvector leaves out): the distinct words in order of first
# appearance without positions, up to ~1 MB of them.
WORDS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION directive_words_of(folded text, OUT words tsvector, OUT exact boolean)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  spaced text := btrim(regexp_replace(folded, '[^0-9a-z]+', ' ', 'g'));
  parts text[];
BEGIN
  IF spaced = '' THEN
    words := ''::tsvector;
    exact := true;
    RETURN;
  END IF;
  IF octet_length(spaced) < 300000 THEN
    parts := string_to_array(spaced, ' ');
    IF (SELECT max(octet_length(part)) FROM unnest(parts) AS part) < 2048 THEN
      words := to_tsvector('simple'::regconfig, spaced);
      exact := cardinality(parts) < 16383
               AND (SELECT sum(cardinality(positions)) FROM unnest(words)) = cardinality(parts);
      RETURN;
    END IF;
  END IF;
  SELECT coalesce(array_to_tsvector(array_agg(word)), ''::tsvector) INTO words FROM (
    SELECT word, sum(octet_length(word) + 8) OVER (ORDER BY first) AS size
    FROM (SELECT m[1] AS word, min(n) AS first
          FROM regexp_matches(spaced, '[0-9a-z]+', 'g') WITH ORDINALITY AS t(m, n)
          WHERE octet_length(m[1]) < 2048 GROUP BY 1) AS distinct_words
  ) AS sized WHERE size < 1000000;
  exact := false;
END
$$
"""

KEEP_FUNCTION = r"""
CREATE OR REPLACE FUNCTION directive_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM directive_words WHERE directive_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NOT NEW.deleted THEN
    INSERT INTO directive_words (directive_id, office_unit_id, arrival_year, doc_type, urgency, words, exact)
    SELECT NEW.id, NEW.office_unit_id, NEW.arrival_year, NEW.doc_type, NEW.urgency, w.words, w.exact
    FROM directive_words_of(NEW.search_folded) AS w;
  END IF;
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_directives_search_trgm")
    op.execute(WORDS_FUNCTION)
    op.execute(KEEP_FUNCTION)
    op.execute(
        "CREATE TABLE directive_words ("
        "directive_id varchar(36) NOT NULL CONSTRAINT pk_directive_words PRIMARY KEY, "
        "office_unit_id varchar(36) NOT NULL, "
        "arrival_year integer NOT NULL, "
        "doc_type varchar(10) NOT NULL, "
        "urgency varchar(20) NOT NULL, "
        "words tsvector NOT NULL, "
        "exact boolean NOT NULL)"
    )
    op.execute(
        "INSERT INTO directive_words (directive_id, office_unit_id, arrival_year, doc_type, urgency, words, exact) "
        "SELECT d.id, d.office_unit_id, d.arrival_year, d.doc_type, d.urgency, w.words, w.exact "
        "FROM directives AS d, directive_words_of(d.search_folded) AS w WHERE NOT d.deleted"
    )
    # A short pending list (64 kB, GIN's least): every search reads the whole pending list, and autovacuum may
    # leave 4 MB of it (the default) between runs, enough to slow a search several times over and to make the
    # planner prefer reading every row.
    op.execute("CREATE INDEX ix_directive_words_words ON directive_words USING gin (words) "
               "WITH (gin_pending_list_limit = 64)")
    op.execute("CREATE INDEX ix_directive_words_year ON directive_words (office_unit_id, arrival_year)")
    op.execute(
        "CREATE TRIGGER directives_words AFTER INSERT OR DELETE OR UPDATE OF id, office_unit_id, arrival_year, "
        "doc_type, urgency, deleted, search_folded ON directives FOR EACH ROW EXECUTE FUNCTION directive_words_keep()"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS directives_words ON directives")
    op.execute("DROP TABLE IF EXISTS directive_words")
    op.execute("DROP FUNCTION IF EXISTS directive_words_keep()")
    op.execute("DROP FUNCTION IF EXISTS directive_words_of(text)")
    # 0001's trigram index, where pg_trgm can be had (the older search works without it, only slower)
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        bind.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_directives_search_trgm ON directives USING gin (search_folded gin_trgm_ops)")
        savepoint.commit()
    except Exception:  # noqa: BLE001 - no pg_trgm on this server: the index is left out
        savepoint.rollback()
