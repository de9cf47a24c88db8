"""the register's issuer and state filters in the server's word table; every folded text gets its words

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-13

On PostgreSQL, `directive_words` (0010) also holds the directive's folded issuer and what its tasks not deleted
say about its state: how many there are, how many are open, and the earliest deadline among the open ones. The
register's state filters (no tasks, an overdue task, in progress, done) and its issuer filter then read the narrow
word table instead of each directive's tasks and wide row: a search with a state or an issuer is counted there
alone (a common word with a state took 250-900 ms through the tasks, with an issuer 110-230 ms through every
directive's row). Statement triggers on `tasks` keep the counts; the directive's trigger reads them when it
(re)writes its row.

`directive_words_of` gives every text its words: a run of 2,047 bytes (which to_tsvector leaves out) made the
check of its positions NULL and the save of the directive fail (a run of 2,048 or more was left out, and a
search for it failed: tsquery takes no word over 2,046 bytes), and to_tsvector's parser reads some runs as two
tokens ("1e5x" as the number 1e5 and the word x), so that the run itself was not found. A text whose words
to_tsvector does not give back one for one, position for position, gets its distinct words without positions
(`exact` false: a phrase is then looked for in the folded text, as before). The word table is made anew from the
directives (about 15 s for 100,000 on a 2-core server).

Nothing changes on the SQLite file.
"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The words of a folded text with their positions (the text's [0-9a-z] runs, one space apart, read by the
# 'simple' configuration), when to_tsvector gives each run back as one lexeme at its position: the text under
# 300,000 characters and 16,383 words (tsvector's last position), no run of 2,047 bytes or more (left out), no word
# repeated past 256 times (positions dropped), no run that the parser splits ("1e5x"). Otherwise the distinct runs
# (a run over 2,046 bytes, tsvector's longest word, by its first 2,046: the search looks for its words' first 2,046
# too), in order of first appearance, without positions, up to ~1 MB of them; exact false.
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
  parts := string_to_array(spaced, ' ');
  IF octet_length(spaced) < 300000 AND cardinality(parts) < 16383
     AND (SELECT max(octet_length(part)) FROM unnest(parts) AS part) < 2047 THEN
    words := to_tsvector('simple'::regconfig, spaced);
    IF (SELECT coalesce(sum(cardinality(positions)), 0) FROM unnest(words)) = cardinality(parts)
       AND length(words) = (SELECT count(DISTINCT part) FROM unnest(parts) AS part) THEN
      exact := true;
      RETURN;
    END IF;
  END IF;
  SELECT coalesce(array_to_tsvector(array_agg(word)), ''::tsvector) INTO words FROM (
    SELECT word, sum(octet_length(word) + 8) OVER (ORDER BY first) AS size
    FROM (SELECT left(part, 2046) AS word, min(n) AS first
          FROM unnest(parts) WITH ORDINALITY AS t(part, n) GROUP BY 1) AS distinct_words
  ) AS sized WHERE size < 1000000;
  exact := false;
END
$$
"""

# What a directive's tasks not deleted say about its state: how many, how many open, the earliest open deadline.
TASKS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION directive_tasks_of(directive varchar, OUT tasks integer, OUT open_tasks integer,
                                              OUT open_due date)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT count(*)::integer, (count(*) FILTER (WHERE completed_on IS NULL))::integer,
         min(due_date) FILTER (WHERE completed_on IS NULL)
  FROM tasks WHERE directive_id = directive AND deleted IS FALSE
$$
"""

KEEP_FUNCTION = r"""
CREATE OR REPLACE FUNCTION directive_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM directive_words WHERE directive_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NOT NEW.deleted THEN
    INSERT INTO directive_words (directive_id, office_unit_id, arrival_year, doc_type, urgency, issuer_folded,
                                 tasks, open_tasks, open_due, words, exact)
    SELECT NEW.id, NEW.office_unit_id, NEW.arrival_year, NEW.doc_type, NEW.urgency, NEW.issuer_folded,
           t.tasks, t.open_tasks, t.open_due, w.words, w.exact
    FROM directive_words_of(NEW.search_folded) AS w, directive_tasks_of(NEW.id) AS t;
  END IF;
  RETURN NULL;
END
$$
"""

# After a statement on tasks: the counts of the directives it touched (an UPDATE only where the directive, the
# deletion, the completion or the deadline changed). The rows are locked first, in one order, and counted in the
# next statement, which sees what was committed meanwhile: counted before another PC's save of a task of the same
# directive committed, the count would be written over its count.
TASKS_KEEP_FUNCTION = r"""
CREATE OR REPLACE FUNCTION directive_tasks_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids varchar[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT directive_id) INTO ids FROM new_tasks;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT directive_id) INTO ids FROM old_tasks;
  ELSE
    SELECT array_agg(DISTINCT x.directive_id) INTO ids
    FROM old_tasks AS o JOIN new_tasks AS n ON n.id = o.id,
         LATERAL (VALUES (o.directive_id), (n.directive_id)) AS x(directive_id)
    WHERE (o.directive_id, o.deleted, o.completed_on, o.due_date)
          IS DISTINCT FROM (n.directive_id, n.deleted, n.completed_on, n.due_date);
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM directive_words WHERE directive_id = ANY (ids) ORDER BY directive_id FOR UPDATE;
  UPDATE directive_words AS w
  SET tasks = coalesce(t.tasks, 0), open_tasks = coalesce(t.open_tasks, 0), open_due = t.open_due
  FROM unnest(ids) AS d(id) LEFT JOIN (
    SELECT directive_id, count(*)::integer AS tasks, (count(*) FILTER (WHERE completed_on IS NULL))::integer AS open_tasks,
           min(due_date) FILTER (WHERE completed_on IS NULL) AS open_due
    FROM tasks WHERE directive_id = ANY (ids) AND deleted IS FALSE GROUP BY directive_id
  ) AS t ON t.directive_id = d.id
  WHERE w.directive_id = d.id
    AND (w.tasks, w.open_tasks, w.open_due) IS DISTINCT FROM (coalesce(t.tasks, 0), coalesce(t.open_tasks, 0), t.open_due);
  RETURN NULL;
END
$$
"""

TASK_TRIGGERS = {
    "tasks_words_insert": "AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_tasks",
    "tasks_words_update": "AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_tasks NEW TABLE AS new_tasks",
    "tasks_words_delete": "AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_tasks",
}


def _load_0010():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("0010_server_search.py")
    spec = importlib.util.spec_from_file_location("ntm_migration_0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(WORDS_FUNCTION)
    op.execute(TASKS_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS directives_words ON directives")
    op.execute("DROP TABLE IF EXISTS directive_words")
    op.execute(
        "CREATE TABLE directive_words ("
        "directive_id varchar(36) NOT NULL CONSTRAINT pk_directive_words PRIMARY KEY, "
        "office_unit_id varchar(36) NOT NULL, "
        "arrival_year integer NOT NULL, "
        "doc_type varchar(10) NOT NULL, "
        "urgency varchar(20) NOT NULL, "
        "issuer_folded varchar(300) NOT NULL, "
        "tasks integer NOT NULL, "
        "open_tasks integer NOT NULL, "
        "open_due date, "
        "words tsvector NOT NULL, "
        "exact boolean NOT NULL)"
    )
    op.execute(
        "INSERT INTO directive_words (directive_id, office_unit_id, arrival_year, doc_type, urgency, issuer_folded, "
        "tasks, open_tasks, open_due, words, exact) "
        "SELECT d.id, d.office_unit_id, d.arrival_year, d.doc_type, d.urgency, d.issuer_folded, "
        "coalesce(t.tasks, 0), coalesce(t.open_tasks, 0), t.open_due, w.words, w.exact "
        "FROM directives AS d CROSS JOIN LATERAL directive_words_of(d.search_folded) AS w "
        "LEFT JOIN (SELECT directive_id, count(*)::integer AS tasks, "
        "           (count(*) FILTER (WHERE completed_on IS NULL))::integer AS open_tasks, "
        "           min(due_date) FILTER (WHERE completed_on IS NULL) AS open_due "
        "           FROM tasks WHERE deleted IS FALSE GROUP BY directive_id) AS t ON t.directive_id = d.id "
        "WHERE NOT d.deleted"
    )
    # as 0010: a short pending list, which every search reads whole
    op.execute("CREATE INDEX ix_directive_words_words ON directive_words USING gin (words) "
               "WITH (gin_pending_list_limit = 64)")
    op.execute("CREATE INDEX ix_directive_words_year ON directive_words (office_unit_id, arrival_year)")
    # the directives without tasks: a search among them reads only theirs (with the GIN index's, where both are
    # many), not every match of its words
    op.execute("CREATE INDEX ix_directive_words_no_tasks ON directive_words (office_unit_id) WHERE tasks = 0")
    op.execute(KEEP_FUNCTION)
    op.execute(
        "CREATE TRIGGER directives_words AFTER INSERT OR DELETE OR UPDATE OF id, office_unit_id, arrival_year, "
        "doc_type, urgency, deleted, issuer_folded, search_folded ON directives "
        "FOR EACH ROW EXECUTE FUNCTION directive_words_keep()"
    )
    op.execute(TASKS_KEEP_FUNCTION)
    for name, when in TASK_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION directive_tasks_keep()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TASK_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON tasks")
    op.execute("DROP FUNCTION IF EXISTS directive_tasks_keep()")
    op.execute("DROP TRIGGER IF EXISTS directives_words ON directives")
    op.execute("DROP TABLE IF EXISTS directive_words")
    op.execute("DROP FUNCTION IF EXISTS directive_tasks_of(varchar)")
    # 0010's table and trigger, as its upgrade makes them (directive_words_of stays as here: it gives 0010's words
    # where 0010 gave any, and a directive it refused is saved)
    op.execute(_load_0010().KEEP_FUNCTION)
    op.execute(
        "CREATE TABLE directive_words ("
        "directive_id varchar(36) NOT NULL CONSTRAINT pk_directive_words PRIMARY KEY, "
        "office_unit_id varchar(36) NOT NULL, arrival_year integer NOT NULL, doc_type varchar(10) NOT NULL, "
        "urgency varchar(20) NOT NULL, words tsvector NOT NULL, exact boolean NOT NULL)"
    )
    op.execute(
        "INSERT INTO directive_words (directive_id, office_unit_id, arrival_year, doc_type, urgency, words, exact) "
        "SELECT d.id, d.office_unit_id, d.arrival_year, d.doc_type, d.urgency, w.words, w.exact "
        "FROM directives AS d, directive_words_of(d.search_folded) AS w WHERE NOT d.deleted"
    )
    op.execute("CREATE INDEX ix_directive_words_words ON directive_words USING gin (words) "
               "WITH (gin_pending_list_limit = 64)")
    op.execute("CREATE INDEX ix_directive_words_year ON directive_words (office_unit_id, arrival_year)")
    op.execute(
        "CREATE TRIGGER directives_words AFTER INSERT OR DELETE OR UPDATE OF id, office_unit_id, arrival_year, "
        "doc_type, urgency, deleted, search_folded ON directives FOR EACH ROW EXECUTE FUNCTION directive_words_keep()"
    )
