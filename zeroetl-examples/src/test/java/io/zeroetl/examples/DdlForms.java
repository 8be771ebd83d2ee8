package io.zeroetl.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Every form of ALTER TABLE, and the forms of ALTER TYPE, ALTER SCHEMA and ALTER PUBLICATION that concern a
 * replicated table, as PostgreSQL 16–18's reference pages list them (sql-altertable, sql-altertype,
 * sql-alterschema, sql-alterpublication) — taken from the documentation, not from zeroetl's code. Each runs on
 * a table of its own ({@code {t}}, shaped {@code (id int PRIMARY KEY, a int, b text, c numeric(10,2),
 * d varchar(20))} with three rows), after {@code prep} ran before the pipeline started; then the application
 * writes to it again.
 */
final class DdlForms {
    /** How a form ends. */
    enum Outcome {
        /** The table is SYNCED and validates equal to its source. */
        REPLICATED,
        /** The table is FAILED with a reason. */
        FAILED,
        /** The table ends DROPPED with a reason (renamed to a name the selection does not take). */
        DROPPED,
        /** PostgreSQL refuses the command itself on a published table; the table still replicates. */
        REFUSED_BY_SOURCE
    }

    /**
     * One form: its page, words, the version it needs, what it needs first, its statements, its outcome; on the
     * table {@code {t}} in {@code public} unless {@code table} names another (made by {@code prep}), written to
     * again by {@code after} (by default an update that moves a key and a delete, on {@code {t}}).
     */
    record Form(
            String page,
            String form,
            int since,
            List<String> prep,
            List<String> ddl,
            Outcome outcome,
            String table,
            List<String> after) {
        Form(String page, String form, int since, List<String> prep, List<String> ddl, Outcome outcome) {
            this(page, form, since, prep, ddl, outcome, null, null);
        }

        /**
         * Whether the form concerns every table of the publication: it runs once the others were checked, or the
         * copies it causes would hide what they did.
         */
        boolean global() {
            return form.startsWith("SET (publish");
        }
    }

    /** The shape of every form's table. */
    static final String SHAPE = "(id int PRIMARY KEY, a int, b text, c numeric(10,2), d varchar(20))";

    /** Its rows. */
    static final String ROWS = "(1, 10, 'x', 1.55, 'p'), (2, 20, 'y', 2.25, 'q'), (3, 30, 'z', 3.75, 'r')";

    static final String ROLE = "walk_owner";

    /** Objects the forms share, made once per database. */
    static final List<String> SHARED = List.of(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "') THEN CREATE ROLE " + ROLE
                    + "; END IF; END $$",
            "CREATE TABLE ref_walk (id int PRIMARY KEY)",
            "INSERT INTO ref_walk VALUES (10), (20), (30)",
            "CREATE TABLE walk_parent (id int, a int, b text, c numeric(10,2), d varchar(20))",
            "CREATE TYPE walk_row AS (id int, a int, b text, c numeric(10,2), d varchar(20))",
            "CREATE SCHEMA walk_other",
            "CREATE FUNCTION walk_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$");

    private DdlForms() {}

    static List<Form> all() {
        List<Form> f = new ArrayList<>();
        // ALTER TABLE: columns
        f.add(table("ADD COLUMN", List.of(), "ALTER TABLE {t} ADD COLUMN e int", Outcome.REPLICATED));
        f.add(table(
                "ADD COLUMN IF NOT EXISTS ... DEFAULT",
                List.of(),
                "ALTER TABLE {t} ADD COLUMN IF NOT EXISTS e text DEFAULT 'dflt'",
                Outcome.REPLICATED));
        f.add(table(
                "ADD COLUMN ... volatile DEFAULT (rewrite)",
                List.of(),
                "ALTER TABLE {t} ADD COLUMN e timestamptz DEFAULT clock_timestamp()",
                Outcome.REPLICATED));
        f.add(table(
                "ADD COLUMN ... GENERATED ALWAYS AS IDENTITY",
                List.of(),
                "ALTER TABLE {t} ADD COLUMN e int GENERATED ALWAYS AS IDENTITY",
                Outcome.REPLICATED));
        f.add(table(
                "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED",
                List.of(),
                "ALTER TABLE {t} ADD COLUMN e int GENERATED ALWAYS AS (a * 2) STORED",
                Outcome.REPLICATED));
        f.add(new Form(
                "ALTER TABLE",
                "ADD COLUMN ... GENERATED ALWAYS AS (...) VIRTUAL",
                18,
                List.of(),
                List.of("ALTER TABLE {t} ADD COLUMN e int GENERATED ALWAYS AS (a * 2) VIRTUAL"),
                Outcome.REPLICATED));
        f.add(table("DROP COLUMN", List.of(), "ALTER TABLE {t} DROP COLUMN b", Outcome.REPLICATED));
        f.add(table(
                "DROP COLUMN IF EXISTS ... CASCADE",
                List.of(),
                "ALTER TABLE {t} DROP COLUMN IF EXISTS d CASCADE",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE (widening)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a TYPE bigint",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE ... USING",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a TYPE bigint USING a * 100",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET DATA TYPE (to text)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a SET DATA TYPE text",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE numeric (more precision)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN c TYPE numeric(12,2)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE numeric (less scale: rounds)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN c TYPE numeric(10,1)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE varchar (longer)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN d TYPE varchar(50)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... TYPE ... COLLATE",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN b TYPE text COLLATE \"C\"",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET DEFAULT",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a SET DEFAULT 5",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... DROP DEFAULT",
                List.of("ALTER TABLE {t} ALTER COLUMN a SET DEFAULT 5"),
                "ALTER TABLE {t} ALTER COLUMN a DROP DEFAULT",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET NOT NULL",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a SET NOT NULL",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... DROP NOT NULL",
                List.of("ALTER TABLE {t} ALTER COLUMN a SET NOT NULL"),
                "ALTER TABLE {t} ALTER COLUMN a DROP NOT NULL",
                Outcome.REPLICATED));
        f.add(new Form(
                "ALTER TABLE",
                "ALTER COLUMN ... SET EXPRESSION AS",
                17,
                List.of("ALTER TABLE {t} ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED"),
                List.of("ALTER TABLE {t} ALTER COLUMN g SET EXPRESSION AS (a * 3)"),
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... DROP EXPRESSION",
                List.of("ALTER TABLE {t} ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED"),
                "ALTER TABLE {t} ALTER COLUMN g DROP EXPRESSION",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... ADD GENERATED ... AS IDENTITY",
                List.of("ALTER TABLE {t} ALTER COLUMN a SET NOT NULL"),
                "ALTER TABLE {t} ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY",
                Outcome.REPLICATED));
        String identity =
                "ALTER TABLE {t} ALTER COLUMN a SET NOT NULL, ALTER COLUMN a ADD GENERATED BY DEFAULT AS" + " IDENTITY";
        f.add(table(
                "ALTER COLUMN ... SET GENERATED ALWAYS",
                List.of(identity),
                "ALTER TABLE {t} ALTER COLUMN a SET GENERATED ALWAYS",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET sequence_option / RESTART",
                List.of(identity),
                "ALTER TABLE {t} ALTER COLUMN a SET INCREMENT BY 2 RESTART WITH 100",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... DROP IDENTITY",
                List.of(identity),
                "ALTER TABLE {t} ALTER COLUMN a DROP IDENTITY IF EXISTS",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET STATISTICS",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a SET STATISTICS 200",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET (attribute_option)",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN a SET (n_distinct = 5)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... RESET (attribute_option)",
                List.of("ALTER TABLE {t} ALTER COLUMN a SET (n_distinct = 5)"),
                "ALTER TABLE {t} ALTER COLUMN a RESET (n_distinct)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET STORAGE",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN b SET STORAGE EXTERNAL",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER COLUMN ... SET COMPRESSION",
                List.of(),
                "ALTER TABLE {t} ALTER COLUMN b SET COMPRESSION pglz",
                Outcome.REPLICATED));
        // ALTER TABLE: constraints and keys
        f.add(table(
                "ADD table_constraint (CHECK ... NOT VALID)",
                List.of(),
                "ALTER TABLE {t} ADD CONSTRAINT {t}_ck CHECK (id > 0) NOT VALID",
                Outcome.REPLICATED));
        f.add(table(
                "ADD table_constraint (UNIQUE)",
                List.of(),
                "ALTER TABLE {t} ADD CONSTRAINT {t}_uq UNIQUE (d)",
                Outcome.REPLICATED));
        f.add(table(
                "ADD table_constraint_using_index",
                List.of("CREATE UNIQUE INDEX {t}_ux ON {t} (d)"),
                "ALTER TABLE {t} ADD CONSTRAINT {t}_uq UNIQUE USING INDEX {t}_ux",
                Outcome.REPLICATED));
        f.add(table(
                "ADD table_constraint (FOREIGN KEY)",
                List.of(),
                "ALTER TABLE {t} ADD CONSTRAINT {t}_fk FOREIGN KEY (a) REFERENCES ref_walk (id)",
                Outcome.REPLICATED));
        f.add(table(
                "ADD table_constraint (EXCLUDE)",
                List.of(),
                "ALTER TABLE {t} ADD CONSTRAINT {t}_ex EXCLUDE USING btree (d WITH =)",
                Outcome.REPLICATED));
        f.add(table(
                "ALTER CONSTRAINT ... DEFERRABLE",
                List.of("ALTER TABLE {t} ADD CONSTRAINT {t}_fk FOREIGN KEY (a) REFERENCES ref_walk (id)"),
                "ALTER TABLE {t} ALTER CONSTRAINT {t}_fk DEFERRABLE INITIALLY DEFERRED",
                Outcome.REPLICATED));
        f.add(table(
                "VALIDATE CONSTRAINT",
                List.of("ALTER TABLE {t} ADD CONSTRAINT {t}_ck CHECK (id > 0) NOT VALID"),
                "ALTER TABLE {t} VALIDATE CONSTRAINT {t}_ck",
                Outcome.REPLICATED));
        f.add(table(
                "DROP CONSTRAINT",
                List.of("ALTER TABLE {t} ADD CONSTRAINT {t}_ck CHECK (id > 0)"),
                "ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {t}_ck",
                Outcome.REPLICATED));
        f.add(table(
                "DROP CONSTRAINT (the primary key: no identity left)",
                List.of(),
                "ALTER TABLE {t} DROP CONSTRAINT {t}_pkey",
                Outcome.FAILED));
        f.add(new Form(
                "ALTER TABLE",
                "DROP CONSTRAINT + ADD PRIMARY KEY (another key)",
                0,
                List.of(),
                List.of("BEGIN; ALTER TABLE {t} DROP CONSTRAINT {t}_pkey; ALTER TABLE {t} ADD PRIMARY KEY (d);"
                        + " COMMIT"),
                Outcome.REPLICATED));
        f.add(table(
                "RENAME CONSTRAINT",
                List.of("ALTER TABLE {t} ADD CONSTRAINT {t}_ck CHECK (id > 0)"),
                "ALTER TABLE {t} RENAME CONSTRAINT {t}_ck TO {t}_ck2",
                Outcome.REPLICATED));
        // ALTER TABLE: triggers, rules, row security
        String trigger = "CREATE TRIGGER {t}_tg BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION walk_touch()";
        f.add(table("DISABLE TRIGGER", List.of(trigger), "ALTER TABLE {t} DISABLE TRIGGER {t}_tg", Outcome.REPLICATED));
        f.add(table(
                "ENABLE TRIGGER",
                List.of(trigger, "ALTER TABLE {t} DISABLE TRIGGER USER"),
                "ALTER TABLE {t} ENABLE TRIGGER USER",
                Outcome.REPLICATED));
        f.add(table(
                "ENABLE REPLICA TRIGGER",
                List.of(trigger),
                "ALTER TABLE {t} ENABLE REPLICA TRIGGER {t}_tg",
                Outcome.REPLICATED));
        f.add(table(
                "ENABLE ALWAYS TRIGGER",
                List.of(trigger),
                "ALTER TABLE {t} ENABLE ALWAYS TRIGGER {t}_tg",
                Outcome.REPLICATED));
        String rule = "CREATE RULE {t}_rl AS ON UPDATE TO {t} WHERE NEW.id < 0 DO INSTEAD NOTHING";
        f.add(table("DISABLE RULE", List.of(rule), "ALTER TABLE {t} DISABLE RULE {t}_rl", Outcome.REPLICATED));
        f.add(table(
                "ENABLE RULE",
                List.of(rule, "ALTER TABLE {t} DISABLE RULE {t}_rl"),
                "ALTER TABLE {t} ENABLE RULE {t}_rl",
                Outcome.REPLICATED));
        f.add(table(
                "ENABLE REPLICA RULE",
                List.of(rule),
                "ALTER TABLE {t} ENABLE REPLICA RULE {t}_rl",
                Outcome.REPLICATED));
        f.add(table(
                "ENABLE ALWAYS RULE", List.of(rule), "ALTER TABLE {t} ENABLE ALWAYS RULE {t}_rl", Outcome.REPLICATED));
        f.add(table(
                "ENABLE ROW LEVEL SECURITY",
                List.of(),
                "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
                Outcome.REPLICATED));
        f.add(table(
                "DISABLE ROW LEVEL SECURITY",
                List.of("ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"),
                "ALTER TABLE {t} DISABLE ROW LEVEL SECURITY",
                Outcome.REPLICATED));
        f.add(table(
                "FORCE ROW LEVEL SECURITY", List.of(), "ALTER TABLE {t} FORCE ROW LEVEL SECURITY", Outcome.REPLICATED));
        f.add(table(
                "NO FORCE ROW LEVEL SECURITY",
                List.of("ALTER TABLE {t} FORCE ROW LEVEL SECURITY"),
                "ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY",
                Outcome.REPLICATED));
        // ALTER TABLE: storage
        f.add(table("CLUSTER ON", List.of(), "ALTER TABLE {t} CLUSTER ON {t}_pkey", Outcome.REPLICATED));
        f.add(table(
                "SET WITHOUT CLUSTER",
                List.of("ALTER TABLE {t} CLUSTER ON {t}_pkey"),
                "ALTER TABLE {t} SET WITHOUT CLUSTER",
                Outcome.REPLICATED));
        f.add(table("SET WITHOUT OIDS", List.of(), "ALTER TABLE {t} SET WITHOUT OIDS", Outcome.REPLICATED));
        f.add(table("SET ACCESS METHOD", List.of(), "ALTER TABLE {t} SET ACCESS METHOD heap", Outcome.REPLICATED));
        f.add(table("SET TABLESPACE", List.of(), "ALTER TABLE {t} SET TABLESPACE pg_default", Outcome.REPLICATED));
        f.add(table("SET LOGGED", List.of(), "ALTER TABLE {t} SET LOGGED", Outcome.REPLICATED));
        f.add(table("SET UNLOGGED", List.of(), "ALTER TABLE {t} SET UNLOGGED", Outcome.REFUSED_BY_SOURCE));
        f.add(table("SET (storage_parameter)", List.of(), "ALTER TABLE {t} SET (fillfactor = 70)", Outcome.REPLICATED));
        f.add(table(
                "RESET (storage_parameter)",
                List.of("ALTER TABLE {t} SET (fillfactor = 70)"),
                "ALTER TABLE {t} RESET (fillfactor)",
                Outcome.REPLICATED));
        f.add(table("INHERIT", List.of(), "ALTER TABLE {t} INHERIT walk_parent", Outcome.REPLICATED));
        f.add(table(
                "NO INHERIT",
                List.of("ALTER TABLE {t} INHERIT walk_parent"),
                "ALTER TABLE {t} NO INHERIT walk_parent",
                Outcome.REPLICATED));
        f.add(table("OF type_name", List.of(), "ALTER TABLE {t} OF walk_row", Outcome.REPLICATED));
        f.add(table("NOT OF", List.of("ALTER TABLE {t} OF walk_row"), "ALTER TABLE {t} NOT OF", Outcome.REPLICATED));
        f.add(table("OWNER TO", List.of(), "ALTER TABLE {t} OWNER TO " + ROLE, Outcome.REPLICATED));
        // ALTER TABLE: replica identity
        f.add(table("REPLICA IDENTITY FULL", List.of(), "ALTER TABLE {t} REPLICA IDENTITY FULL", Outcome.REPLICATED));
        f.add(table(
                "REPLICA IDENTITY DEFAULT",
                List.of("ALTER TABLE {t} REPLICA IDENTITY FULL"),
                "ALTER TABLE {t} REPLICA IDENTITY DEFAULT",
                Outcome.REPLICATED));
        f.add(table(
                "REPLICA IDENTITY USING INDEX",
                List.of("ALTER TABLE {t} ALTER COLUMN d SET NOT NULL", "CREATE UNIQUE INDEX {t}_ri ON {t} (d)"),
                "ALTER TABLE {t} REPLICA IDENTITY USING INDEX {t}_ri",
                Outcome.REPLICATED));
        f.add(table(
                "REPLICA IDENTITY NOTHING (no identity left)",
                List.of(),
                "ALTER TABLE {t} REPLICA IDENTITY NOTHING",
                Outcome.FAILED));
        // ALTER TABLE: names
        f.add(table("RENAME COLUMN", List.of(), "ALTER TABLE {t} RENAME COLUMN b TO b2", Outcome.REPLICATED));
        f.add(new Form(
                "ALTER TABLE",
                "RENAME TO (a name not selected)",
                0,
                List.of(),
                List.of("ALTER TABLE {t} RENAME TO renamed_{t}"),
                Outcome.DROPPED,
                null,
                List.of("UPDATE renamed_{t} SET id = id + 1000 WHERE id = 1")));
        f.add(new Form(
                "ALTER TABLE",
                "SET SCHEMA",
                0,
                List.of(),
                List.of("ALTER TABLE {t} SET SCHEMA walk_other"),
                Outcome.DROPPED,
                null,
                List.of("UPDATE walk_other.{t} SET id = id + 1000 WHERE id = 1")));
        f.add(table(
                "ALL IN TABLESPACE ... SET TABLESPACE",
                List.of(),
                "ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE pg_default",
                Outcome.REPLICATED));
        // ALTER TABLE on a partitioned table: the partitions are the replicated tables
        f.add(table(
                "ATTACH PARTITION (the attached table replicated)",
                List.of("CREATE TABLE {t}_parent (LIKE {t}) PARTITION BY RANGE (id)"),
                "ALTER TABLE {t}_parent ATTACH PARTITION {t} FOR VALUES FROM (0) TO (100000)",
                Outcome.REPLICATED));
        f.add(table(
                "DETACH PARTITION (the detached table replicated)",
                List.of(
                        "CREATE TABLE {t}_parent (LIKE {t}) PARTITION BY RANGE (id)",
                        "ALTER TABLE {t}_parent ATTACH PARTITION {t} FOR VALUES FROM (0) TO (100000)"),
                "ALTER TABLE {t}_parent DETACH PARTITION {t}",
                Outcome.REPLICATED));
        // ALTER TYPE of a column's type
        String mood = "CREATE TYPE {t}_mood AS ENUM ('sad', 'ok'); ALTER TABLE {t} ADD COLUMN m {t}_mood DEFAULT 'sad',"
                + " ADD COLUMN ms {t}_mood[] DEFAULT '{sad,ok}'";
        f.add(type("ADD VALUE", List.of(mood), "ALTER TYPE {t}_mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'"));
        f.add(type("RENAME VALUE", List.of(mood), "ALTER TYPE {t}_mood RENAME VALUE 'sad' TO 'blue'"));
        f.add(type("RENAME TO", List.of(mood), "ALTER TYPE {t}_mood RENAME TO {t}_mood2"));
        f.add(type("OWNER TO", List.of(mood), "ALTER TYPE {t}_mood OWNER TO " + ROLE));
        f.add(type("SET SCHEMA", List.of(mood), "ALTER TYPE {t}_mood SET SCHEMA walk_other"));
        String pair =
                "CREATE TYPE {t}_pair AS (x int, y text); ALTER TABLE {t} ADD COLUMN p {t}_pair DEFAULT ROW(1, 'a')";
        f.add(type("ADD ATTRIBUTE", List.of(pair), "ALTER TYPE {t}_pair ADD ATTRIBUTE z int"));
        f.add(type("DROP ATTRIBUTE", List.of(pair), "ALTER TYPE {t}_pair DROP ATTRIBUTE IF EXISTS y"));
        f.add(new Form(
                "ALTER TYPE",
                "ALTER ATTRIBUTE ... TYPE",
                0,
                List.of(pair),
                List.of("ALTER TYPE {t}_pair ALTER ATTRIBUTE x TYPE bigint"),
                Outcome.REFUSED_BY_SOURCE));
        f.add(type("RENAME ATTRIBUTE", List.of(pair), "ALTER TYPE {t}_pair RENAME ATTRIBUTE x TO x2"));
        // ALTER SCHEMA of the table's schema
        List<String> inSchema = List.of(
                "CREATE SCHEMA {t}_s; CREATE TABLE {t}_s.w " + SHAPE + "; INSERT INTO {t}_s.w" + " VALUES " + ROWS);
        f.add(new Form(
                "ALTER SCHEMA",
                "RENAME TO",
                0,
                inSchema,
                List.of("ALTER SCHEMA {t}_s RENAME TO {t}_s2"),
                Outcome.DROPPED,
                "{t}_s.w",
                List.of("UPDATE {t}_s2.w SET id = id + 1000 WHERE id = 1")));
        f.add(new Form(
                "ALTER SCHEMA",
                "OWNER TO",
                0,
                inSchema,
                List.of("ALTER SCHEMA {t}_s OWNER TO " + ROLE),
                Outcome.REPLICATED,
                "{t}_s.w",
                List.of("UPDATE {t}_s.w SET id = id + 1000 WHERE id = 1")));
        // ALTER PUBLICATION on zeroetl's own (each in a pipeline of its own: they touch every table in it)
        f.add(publication("DROP TABLE", "ALTER PUBLICATION zeroetl_walk DROP TABLE {t}"));
        f.add(publication("SET TABLE (without it)", setTable("tablename <> '{t}'", "")));
        f.add(publication(
                "DROP TABLE, ADD TABLE (columns)",
                "ALTER PUBLICATION zeroetl_walk DROP TABLE {t}; ALTER PUBLICATION zeroetl_walk ADD TABLE {t} (id, a)"));
        f.add(new Form(
                "ALTER PUBLICATION",
                "SET TABLE ... WHERE (row filter)",
                15,
                List.of(),
                List.of(setTable("tablename <> '{t}'", ", {t} WHERE (id > 1)")),
                Outcome.REPLICATED));
        f.add(publication("SET (publish = 'insert')", "ALTER PUBLICATION zeroetl_walk SET (publish = 'insert')"));
        f.add(publication("OWNER TO", "ALTER PUBLICATION zeroetl_walk OWNER TO " + ROLE));
        return f;
    }

    /** Sets zeroetl's publication to its tables that match {@code which}, and {@code more}. */
    private static String setTable(String which, String more) {
        return "DO $$ BEGIN EXECUTE 'ALTER PUBLICATION zeroetl_walk SET TABLE ' || (SELECT string_agg("
                + "format('%I.%I', schemaname, tablename), ', ') FROM pg_publication_tables WHERE pubname ="
                + " 'zeroetl_walk' AND " + which + ") || '" + more + "'; END $$";
    }

    private static Form table(String form, List<String> prep, String ddl, Outcome outcome) {
        return new Form("ALTER TABLE", form, 0, prep, List.of(ddl), outcome);
    }

    private static Form type(String form, List<String> prep, String ddl) {
        return new Form("ALTER TYPE", form, 0, prep, List.of(ddl), Outcome.REPLICATED);
    }

    private static Form publication(String form, String ddl) {
        return new Form("ALTER PUBLICATION", form, 0, List.of(), List.of(ddl), Outcome.REPLICATED);
    }
}
