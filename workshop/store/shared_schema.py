"""The shared study's tables on a PostgreSQL server, its three roles, and the rules the database itself enforces.

Who may do what is the database's to enforce, not only the client's:

* ``pw_facilitator`` writes sittings: a sitting's entry in the study, its
  starting state, its operations (only the one who first sent the sitting
  adds to its log: one writer per sitting), and reads everything;
* ``pw_researcher`` reads everything and writes attached texts, codings, the
  roster and the study's other lists, never a sitting's log;
* ``pw_reader`` reads only the de-identified record (``public_study``,
  ``public_sittings``, ``public_elements``): no names, no survey answers with their respondents.

History cannot be rewritten or cut: nobody but the schema's owner may
UPDATE or DELETE operations, and a trigger checks that every operation
added continues its sitting's checksum chain (the same SHA-256 chain as in
the session file, :mod:`workshop.store.chain`), so the server holds every
sitting's head and refuses anything else.
"""

from __future__ import annotations

SCHEMA_NAME = "process_workshop"
ROLES = ("pw_facilitator", "pw_researcher", "pw_reader")
SITTING_LISTS = ("sittings", "study")
"""The study file's parts a facilitator writes; a researcher writes every other list."""

CREATE_ROLES = """
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['pw_facilitator', 'pw_researcher', 'pw_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
"""

CREATE_TABLES = """
CREATE SCHEMA IF NOT EXISTS process_workshop;
CREATE TABLE IF NOT EXISTS process_workshop.studies (
    study_id text PRIMARY KEY,
    title text NOT NULL,
    published timestamptz NOT NULL DEFAULT now(),
    published_by text NOT NULL DEFAULT current_user
);
CREATE SEQUENCE IF NOT EXISTS process_workshop.revisions;
CREATE TABLE IF NOT EXISTS process_workshop.items (
    study_id text NOT NULL REFERENCES process_workshop.studies,
    list text NOT NULL,
    item_id text NOT NULL,
    data jsonb NOT NULL,
    revision bigint NOT NULL DEFAULT nextval('process_workshop.revisions'),
    changed timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT current_user,
    PRIMARY KEY (study_id, list, item_id)
);
CREATE TABLE IF NOT EXISTS process_workshop.texts (
    study_id text NOT NULL REFERENCES process_workshop.studies,
    source_id text NOT NULL,
    content text NOT NULL,
    PRIMARY KEY (study_id, source_id)
);
CREATE TABLE IF NOT EXISTS process_workshop.sittings (
    study_id text NOT NULL REFERENCES process_workshop.studies,
    session_id text NOT NULL,
    meta jsonb NOT NULL,
    genesis bytea NOT NULL,
    genesis_hash text NOT NULL,
    writer text NOT NULL DEFAULT current_user,
    PRIMARY KEY (study_id, session_id)
);
CREATE TABLE IF NOT EXISTS process_workshop.ops (
    study_id text NOT NULL,
    session_id text NOT NULL,
    seq bigint NOT NULL CHECK (seq > 0),
    time text NOT NULL,
    actor text NOT NULL,
    intervention_id text,
    step_id text,
    op text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (study_id, session_id, seq),
    FOREIGN KEY (study_id, session_id) REFERENCES process_workshop.sittings
);
CREATE TABLE IF NOT EXISTS process_workshop.public_study (
    study_id text PRIMARY KEY REFERENCES process_workshop.studies,
    data jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS process_workshop.public_sittings (
    study_id text NOT NULL,
    session_id text NOT NULL,
    operations bigint NOT NULL,
    meta jsonb NOT NULL,
    PRIMARY KEY (study_id, session_id),
    FOREIGN KEY (study_id, session_id) REFERENCES process_workshop.sittings
);
CREATE TABLE IF NOT EXISTS process_workshop.public_elements (
    study_id text NOT NULL,
    session_id text NOT NULL,
    collection text NOT NULL,
    element_id text NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (study_id, session_id, collection, element_id),
    FOREIGN KEY (study_id, session_id) REFERENCES process_workshop.public_sittings ON DELETE CASCADE
);

CREATE OR REPLACE FUNCTION process_workshop.chain_column(v text) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN '\\x4e'::bytea
        ELSE '\\x53'::bytea || int8send(octet_length(convert_to(v, 'UTF8'))) || convert_to(v, 'UTF8') END
$$;

CREATE OR REPLACE FUNCTION process_workshop.check_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = process_workshop, pg_temp AS $$
DECLARE
    bad record;
BEGIN
    -- after the statement, over all the rows it added at once: each must follow the record before it (added by
    -- this statement or earlier) or, for the first, the sitting's starting state, by the checksum chain
    SELECT a.session_id, a.seq,
           encode(sha256(convert_to(COALESCE(o.hash, CASE WHEN a.seq = 1 THEN s.genesis_hash END), 'UTF8')
               || process_workshop.chain_column(a.seq::text) || process_workshop.chain_column(a.time)
               || process_workshop.chain_column(a.actor) || process_workshop.chain_column(a.intervention_id)
               || process_workshop.chain_column(a.step_id) || process_workshop.chain_column(a.op)), 'hex')
               IS NOT DISTINCT FROM a.hash AS follows,
           (o.hash IS NOT NULL OR a.seq = 1) AS has_previous
    INTO bad
    FROM arrived a
    JOIN process_workshop.sittings s ON s.study_id = a.study_id AND s.session_id = a.session_id
    LEFT JOIN process_workshop.ops o
        ON o.study_id = a.study_id AND o.session_id = a.session_id AND o.seq = a.seq - 1
    WHERE o.hash IS NULL AND a.seq <> 1
       OR encode(sha256(convert_to(COALESCE(o.hash, CASE WHEN a.seq = 1 THEN s.genesis_hash END), 'UTF8')
               || process_workshop.chain_column(a.seq::text) || process_workshop.chain_column(a.time)
               || process_workshop.chain_column(a.actor) || process_workshop.chain_column(a.intervention_id)
               || process_workshop.chain_column(a.step_id) || process_workshop.chain_column(a.op)), 'hex')
          IS DISTINCT FROM a.hash
    ORDER BY a.seq
    LIMIT 1;
    IF FOUND AND NOT bad.has_previous THEN
        RAISE EXCEPTION 'operation % of session % does not follow the shared log (operation % is not there)',
            bad.seq, bad.session_id, bad.seq - 1 USING ERRCODE = 'integrity_constraint_violation';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'operation % of session % does not continue the shared log (its checksum differs)',
            bad.seq, bad.session_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ops_continue_the_chain ON process_workshop.ops;
CREATE TRIGGER ops_continue_the_chain AFTER INSERT ON process_workshop.ops
    REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION process_workshop.check_chain();

CREATE OR REPLACE VIEW process_workshop.heads AS
    SELECT DISTINCT ON (study_id, session_id) study_id, session_id, seq AS operations, hash AS last_hash
    FROM process_workshop.ops ORDER BY study_id, session_id, seq DESC;
"""

GRANTS = """
REVOKE ALL ON ALL TABLES IN SCHEMA process_workshop FROM PUBLIC;
GRANT USAGE ON SCHEMA process_workshop TO pw_facilitator, pw_researcher, pw_reader;
GRANT SELECT ON process_workshop.studies, process_workshop.public_study, process_workshop.public_sittings,
    process_workshop.public_elements TO pw_facilitator, pw_researcher, pw_reader;
GRANT SELECT ON process_workshop.items, process_workshop.texts, process_workshop.sittings, process_workshop.ops,
    process_workshop.heads TO pw_facilitator, pw_researcher;
GRANT INSERT, UPDATE ON process_workshop.items TO pw_facilitator, pw_researcher;
GRANT INSERT, UPDATE, DELETE ON process_workshop.public_study, process_workshop.public_sittings,
    process_workshop.public_elements TO pw_facilitator, pw_researcher;
GRANT INSERT ON process_workshop.sittings, process_workshop.ops TO pw_facilitator;
GRANT INSERT, UPDATE ON process_workshop.texts TO pw_researcher;
GRANT USAGE ON SEQUENCE process_workshop.revisions TO pw_facilitator, pw_researcher;

ALTER TABLE process_workshop.items ENABLE ROW LEVEL SECURITY;
ALTER TABLE process_workshop.sittings ENABLE ROW LEVEL SECURITY;
ALTER TABLE process_workshop.ops ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS items_read ON process_workshop.items;
CREATE POLICY items_read ON process_workshop.items FOR SELECT TO pw_facilitator, pw_researcher USING (true);
DROP POLICY IF EXISTS items_facilitator_add ON process_workshop.items;
CREATE POLICY items_facilitator_add ON process_workshop.items FOR INSERT TO pw_facilitator
    WITH CHECK (list IN ('sittings', 'study'));
DROP POLICY IF EXISTS items_facilitator_change ON process_workshop.items;
CREATE POLICY items_facilitator_change ON process_workshop.items FOR UPDATE TO pw_facilitator
    USING (list IN ('sittings', 'study')) WITH CHECK (list IN ('sittings', 'study'));
DROP POLICY IF EXISTS items_researcher_add ON process_workshop.items;
CREATE POLICY items_researcher_add ON process_workshop.items FOR INSERT TO pw_researcher
    WITH CHECK (list NOT IN ('sittings'));
DROP POLICY IF EXISTS items_researcher_change ON process_workshop.items;
CREATE POLICY items_researcher_change ON process_workshop.items FOR UPDATE TO pw_researcher
    USING (list NOT IN ('sittings')) WITH CHECK (list NOT IN ('sittings'));

DROP POLICY IF EXISTS sittings_read ON process_workshop.sittings;
CREATE POLICY sittings_read ON process_workshop.sittings FOR SELECT TO pw_facilitator, pw_researcher USING (true);
DROP POLICY IF EXISTS sittings_add ON process_workshop.sittings;
CREATE POLICY sittings_add ON process_workshop.sittings FOR INSERT TO pw_facilitator
    WITH CHECK (writer = current_user);

DROP POLICY IF EXISTS ops_read ON process_workshop.ops;
CREATE POLICY ops_read ON process_workshop.ops FOR SELECT TO pw_facilitator, pw_researcher USING (true);
DROP POLICY IF EXISTS ops_one_writer ON process_workshop.ops;
CREATE POLICY ops_one_writer ON process_workshop.ops FOR INSERT TO pw_facilitator
    WITH CHECK (EXISTS (SELECT 1 FROM process_workshop.sittings s WHERE s.study_id = ops.study_id
                        AND s.session_id = ops.session_id AND s.writer = current_user));
"""
