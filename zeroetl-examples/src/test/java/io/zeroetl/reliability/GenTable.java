package io.zeroetl.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random table of the schema generator — hostile table and column names (zeroetl's own internal names
 * among them), random types, one of the replica identities, some partitioned — and a model of its rows that
 * makes random, always valid workloads for it: inserts (duplicates in keyless tables), updates that leave a
 * TOASTed value unchanged, key moves (across partitions), deletes, TRUNCATE (of one partition too), column DDL,
 * table renames, partitions detached and attached again, savepoints rolled back. Not thread-safe.
 */
final class GenTable {
    /** How the table identifies its rows, and what zeroetl is expected to make of it. */
    enum Identity {
        PRIMARY_KEY(null),
        COMPOSITE_KEY(null),
        FULL_WITH_KEY(null),
        KEYLESS_FULL(null),
        USING_INDEX(null),
        DEFERRABLE_KEY("DEFERRABLE"),
        NO_IDENTITY("no primary key");

        /** Text the table's FAILED reason names, or null when the table must replicate exactly. */
        final String failure;

        Identity(String failure) {
            this.failure = failure;
        }
    }

    /** A column of the generated table. */
    record Col(String name, GenType type, boolean key) {}

    private static final String[] TABLE_NAMES = {
        "t", "Mixed", "zeroetl_stage_1", "zeroetl_state", "we\"ird", "表", "select", "order items", "zeroetl_errors"
    };
    private static final String[] COLUMN_NAMES = {
        "v",
        "Mixed Case",
        "we\"ird",
        "zeroetl_seq",
        "zeroetl_op",
        "zeroetl_unchanged",
        "c1",
        "c2",
        "_record_is_active",
        "_record_create_time",
        "_zeroetl_deleted",
        "oid",
        "select",
        "数量",
        "x".repeat(60),
        "zeroetl_rn",
        "kh"
    };

    final String schema;
    /** The table's name now (a rename changes it); its partitions keep names made from the first. */
    String name;

    private final String base;
    final Identity identity;
    /** Partitioned by hash of id into three partitions, the last with its columns in reverse order. */
    final boolean partitioned;

    final List<Col> columns = new ArrayList<>();
    private final List<Integer> keys = new ArrayList<>();
    private final List<String> keylessRows = new ArrayList<>();
    private final List<String> history = new ArrayList<>();
    private int nextId = 1;
    private int ddl;

    GenTable(Random r, String schema, int index) {
        this(r, schema, index, false);
    }

    /** A table whose names hold only LATIN1 characters when {@code latin1} (a LATIN1 database). */
    GenTable(Random r, String schema, int index, boolean latin1) {
        this.schema = schema;
        String base = TABLE_NAMES[r.nextInt(TABLE_NAMES.length)] + "_" + index;
        this.name = latin1 ? Latin1.squeeze(base) : base;
        this.base = this.name;
        this.identity = Identity.values()[r.nextInt(Identity.values().length)];
        boolean keyed = identity != Identity.KEYLESS_FULL && identity != Identity.NO_IDENTITY;
        this.partitioned =
                (identity == Identity.PRIMARY_KEY || identity == Identity.COMPOSITE_KEY) && r.nextInt(3) == 0;
        columns.add(new Col("id", GenType.ALL.get(0), keyed));
        if (identity == Identity.COMPOSITE_KEY) {
            columns.add(new Col("k2", GenType.ALL.get(10), true));
        }
        Set<String> taken = new HashSet<>(List.of("id", "k2"));
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String column = COLUMN_NAMES[r.nextInt(COLUMN_NAMES.length)];
            column = latin1 ? Latin1.squeeze(column) : column;
            if (!taken.add(column)) {
                column = column + "_" + i;
                taken.add(column);
            }
            GenType type = GenType.ALL.get(r.nextInt(GenType.ALL.size()));
            columns.add(new Col(column, type, false));
        }
    }

    String quoted() {
        return Sql.id(schema) + "." + Sql.id(name);
    }

    /** Whether the workload renamed the table. */
    boolean renamed() {
        return !name.equals(base);
    }

    /** Partition {@code i} (of 3) of a partitioned table. */
    String partition(int i) {
        return Sql.id(schema) + "." + Sql.id(base + "_p" + i);
    }

    /** As a selection names it: each part quoted. */
    String pattern() {
        return quoted();
    }

    /** The statements that create the table, with its identity and storage. */
    List<String> create() {
        List<String> sql = new ArrayList<>();
        StringBuilder create = new StringBuilder("CREATE TABLE " + quoted() + " (");
        for (int i = 0; i < columns.size(); i++) {
            Col c = columns.get(i);
            create.append(i == 0 ? "" : ", ")
                    .append(Sql.id(c.name()))
                    .append(' ')
                    .append(c.type().sql());
            if (c.key() || identity == Identity.USING_INDEX && c.name().equals("id")) {
                create.append(" NOT NULL");
            }
        }
        List<String> keyNames =
                columns.stream().filter(Col::key).map(c -> Sql.id(c.name())).toList();
        if (identity == Identity.DEFERRABLE_KEY) {
            create.append(", PRIMARY KEY (").append(String.join(", ", keyNames)).append(") DEFERRABLE");
        } else if (identity != Identity.USING_INDEX && !keyNames.isEmpty()) {
            create.append(", PRIMARY KEY (").append(String.join(", ", keyNames)).append(')');
        }
        sql.add(create.append(')')
                .append(partitioned ? " PARTITION BY HASH (\"id\")" : "")
                .toString());
        if (partitioned) {
            sql.add("CREATE TABLE " + partition(0) + " PARTITION OF " + quoted() + " FOR VALUES WITH (MODULUS 3,"
                    + " REMAINDER 0)");
            sql.add("CREATE TABLE " + partition(1) + " PARTITION OF " + quoted() + " FOR VALUES WITH (MODULUS 3,"
                    + " REMAINDER 1)");
            // a partition with its columns in another order
            StringBuilder reversed = new StringBuilder("CREATE TABLE " + partition(2) + " (");
            for (int i = columns.size() - 1; i >= 0; i--) {
                Col c = columns.get(i);
                reversed.append(i == columns.size() - 1 ? "" : ", ")
                        .append(Sql.id(c.name()))
                        .append(' ')
                        .append(c.type().sql())
                        .append(c.key() ? " NOT NULL" : "");
            }
            sql.add(reversed.append(')').toString());
            sql.add("ALTER TABLE " + quoted() + " ATTACH PARTITION " + partition(2)
                    + " FOR VALUES WITH (MODULUS 3, REMAINDER 2)");
        }
        if (identity == Identity.USING_INDEX) {
            String index = Sql.id("ux_" + Math.abs(name.hashCode()));
            sql.add("CREATE UNIQUE INDEX " + index + " ON " + quoted() + " (\"id\")");
            sql.add("ALTER TABLE " + quoted() + " REPLICA IDENTITY USING INDEX " + index);
        }
        if (identity == Identity.FULL_WITH_KEY || identity == Identity.KEYLESS_FULL) {
            sql.add("ALTER TABLE " + quoted() + " REPLICA IDENTITY FULL");
        }
        for (Col c : columns) {
            if (c.type().large()) {
                sql.add("ALTER TABLE " + quoted() + " ALTER COLUMN " + Sql.id(c.name()) + " SET STORAGE EXTERNAL");
            }
        }
        return sql;
    }

    /** A random transaction on the table, as one string of statements. */
    String transaction(Random r) {
        List<String> steps = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            steps.add(step(r));
        }
        if (r.nextInt(5) == 0) {
            steps.add("SAVEPOINT s");
            steps.add(insertRow(r, false));
            steps.add("ROLLBACK TO SAVEPOINT s");
        }
        String sql = "BEGIN; " + String.join("; ", steps) + "; COMMIT";
        history.add(sql);
        return sql;
    }

    /** The transactions generated so far, for a failure's message. */
    List<String> history() {
        return history;
    }

    /** An insert of a fresh row (or, in a keyless table, sometimes a copy of an earlier one). */
    String insertRow(Random r, boolean record) {
        if (identity == Identity.KEYLESS_FULL && !keylessRows.isEmpty() && r.nextInt(3) == 0) {
            return keylessRows.get(r.nextInt(keylessRows.size()));
        }
        int id = nextId++;
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Col c : columns) {
            names.append(names.length() == 0 ? "" : ", ").append(Sql.id(c.name()));
            String value = c.name().equals("id")
                    ? Integer.toString(id)
                    : c.name().equals("k2")
                            ? "'k'"
                            : !c.key() && r.nextInt(6) == 0
                                    ? "NULL"
                                    : c.type().literal().apply(r);
            values.append(values.length() == 0 ? "" : ", ").append(value);
        }
        String insert = "INSERT INTO " + quoted() + " (" + names + ") VALUES (" + values + ")";
        if (record) {
            keys.add(id);
            if (identity == Identity.KEYLESS_FULL) {
                keylessRows.add(insert);
            }
        }
        return insert;
    }

    private String step(Random r) {
        int dice = r.nextInt(100);
        if (keys.isEmpty() || dice < 35) {
            return insertRow(r, true);
        }
        int key = keys.get(r.nextInt(keys.size()));
        String where = identity == Identity.KEYLESS_FULL || identity == Identity.NO_IDENTITY
                ? "ctid = (SELECT ctid FROM " + quoted() + " WHERE \"id\" = " + key + " LIMIT 1)"
                : "\"id\" = " + key;
        List<Col> plain =
                columns.stream().filter(c -> !c.key() && !c.name().equals("id")).toList();
        if (dice < 60 && !plain.isEmpty()) {
            Col c = plain.get(r.nextInt(plain.size()));
            // a small column changed: a large one in the same row stays an unchanged TOAST value
            return "UPDATE " + quoted() + " SET " + Sql.id(c.name()) + " = "
                    + (r.nextInt(5) == 0 ? "NULL" : c.type().literal().apply(r)) + " WHERE " + where;
        }
        if (dice < 72 && identity != Identity.KEYLESS_FULL && identity != Identity.NO_IDENTITY) {
            int moved = nextId++;
            keys.remove(Integer.valueOf(key));
            keys.add(moved);
            return "UPDATE " + quoted() + " SET \"id\" = " + moved + " WHERE \"id\" = " + key;
        }
        if (dice < 85) {
            if (identity != Identity.KEYLESS_FULL) {
                keys.remove(Integer.valueOf(key));
            }
            return "DELETE FROM " + quoted() + " WHERE " + where;
        }
        if (dice < 88) {
            if (partitioned && r.nextBoolean()) {
                // one partition's rows go (the model keeps their keys: statements on them change nothing)
                return "TRUNCATE " + partition(r.nextInt(3));
            }
            keys.clear();
            keylessRows.clear();
            return "TRUNCATE " + quoted();
        }
        return ddl(r, plain);
    }

    /**
     * Column DDL: add (with or without a default, or an identity), drop, rename, widen int to bigint, convert with
     * USING (values change with no row change), int to text, DDL inside a DO block, and an enum label renamed
     * there and back (every table holding the type is copied again).
     */
    private String ddl(Random r, List<Col> plain) {
        ddl++;
        // earlier inserts kept for duplicates name the old columns
        keylessRows.clear();
        int dice = r.nextInt(9);
        if (identity.failure == null && r.nextInt(8) == 0) {
            // renamed: the selection (gen.*) takes the new name, so the target table follows with its rows
            String renamed = base + "_r" + ddl;
            String sql = "ALTER TABLE " + quoted() + " RENAME TO " + Sql.id(renamed);
            name = renamed;
            return sql;
        }
        if (partitioned && r.nextInt(4) == 0) {
            // a partition detached and attached again: its rows leave and come back without row changes
            return "ALTER TABLE " + quoted() + " DETACH PARTITION " + partition(1) + "; ALTER TABLE " + quoted()
                    + " ATTACH PARTITION " + partition(1) + " FOR VALUES WITH (MODULUS 3, REMAINDER 1)";
        }
        if (dice >= 4) {
            String more = moreDdl(r, plain, dice);
            if (more != null) {
                return more;
            }
            dice = r.nextInt(4);
        }
        if (dice == 0 || plain.size() < 2) {
            String column = "added_" + ddl;
            columns.add(new Col(column, GenType.ALL.get(0), false));
            return "ALTER TABLE " + quoted() + " ADD COLUMN " + Sql.id(column) + " int"
                    + (r.nextBoolean() ? " DEFAULT " + r.nextInt(100) : "");
        }
        Col c = plain.get(r.nextInt(plain.size()));
        if (dice == 1 && !c.type().large()) {
            columns.remove(c);
            return "ALTER TABLE " + quoted() + " DROP COLUMN " + Sql.id(c.name());
        }
        if (dice == 2) {
            String renamed = "renamed_" + ddl;
            columns.set(columns.indexOf(c), new Col(renamed, c.type(), false));
            return "ALTER TABLE " + quoted() + " RENAME COLUMN " + Sql.id(c.name()) + " TO " + Sql.id(renamed);
        }
        if (c.type().sql().equals("int")) {
            columns.set(columns.indexOf(c), new Col(c.name(), GenType.ALL.get(1), false));
            return "ALTER TABLE " + quoted() + " ALTER COLUMN " + Sql.id(c.name()) + " TYPE bigint";
        }
        return insertRow(r, true);
    }

    /** The DDL forms that change stored values without row changes, or that zeroetl cannot read; null if none fits. */
    private String moreDdl(Random r, List<Col> plain, int dice) {
        List<Col> ints =
                plain.stream().filter(c -> c.type().sql().equals("int")).toList();
        List<Col> texts = plain.stream()
                .filter(c -> c.type().sql().equals("text") && !c.type().large())
                .toList();
        switch (dice) {
            case 4 -> {
                if (ints.isEmpty()) {
                    return null;
                }
                Col c = ints.get(r.nextInt(ints.size()));
                columns.set(columns.indexOf(c), new Col(c.name(), GenType.ALL.get(1), false));
                return "ALTER TABLE " + quoted() + " ALTER COLUMN " + Sql.id(c.name()) + " TYPE bigint USING "
                        + Sql.id(c.name()) + " / 3";
            }
            case 5 -> {
                if (texts.isEmpty()) {
                    return null;
                }
                Col c = texts.get(r.nextInt(texts.size()));
                return "ALTER TABLE " + quoted() + " ALTER COLUMN " + Sql.id(c.name()) + " TYPE text USING upper("
                        + Sql.id(c.name()) + ")";
            }
            case 6 -> {
                if (partitioned) {
                    return null;
                }
                // numbered by PostgreSQL: never written by the generator (its rows leave it to the identity)
                String column = "identity_" + ddl;
                return "ALTER TABLE " + quoted() + " ADD COLUMN " + Sql.id(column)
                        + " int GENERATED BY DEFAULT AS IDENTITY";
            }
            case 7 -> {
                String column = "in_do_" + ddl;
                columns.add(new Col(column, GenType.ALL.get(0), false));
                return "DO $$ BEGIN ALTER TABLE " + quoted() + " ADD COLUMN " + Sql.id(column) + " int; END $$";
            }
            default -> {
                if (columns.stream().noneMatch(c -> c.type().sql().equals("gen_mood"))) {
                    return null;
                }
                return "ALTER TYPE gen_mood RENAME VALUE 'sad' TO 'sad_for_now'; ALTER TYPE gen_mood RENAME VALUE"
                        + " 'sad_for_now' TO 'sad'";
            }
        }
    }
}
