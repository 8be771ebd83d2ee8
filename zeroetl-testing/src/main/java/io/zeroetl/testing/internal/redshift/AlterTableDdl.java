package io.zeroetl.testing.internal.redshift;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** ALTER TABLE as Redshift takes it (r_ALTER_TABLE), translated for the emulator's PostgreSQL. */
final class AlterTableDdl {
    private AlterTableDdl() {}

    /** ALTER TABLE ...; {@code sig} starts at ALTER. */
    static String alter(List<Token> sig, boolean inTransactionBlock) {
        int i = 2;
        if (Sig.is(sig, i, "IF") && Sig.is(sig, i + 1, "EXISTS")) {
            i += 2;
        }
        int nameStart = i;
        i++;
        while (Sig.isSymbol(sig, i, ".")) {
            i += 2;
        }
        String table = Sig.join(sig.subList(nameStart, i));
        if (Sig.is(sig, i, "APPEND")) {
            throw Rejected.unsupported("ALTER TABLE APPEND is not modeled by the Redshift emulator");
        }
        List<List<Token>> actions = Sig.splitTopLevel(sig, i, sig.size());
        if (actions.size() > 1) {
            boolean adds = actions.stream()
                            .filter(a -> !a.isEmpty() && a.get(0).is("ADD"))
                            .count()
                    > 1;
            throw Rejected.unsupported(
                    adds
                            ? "ALTER TABLE ADD COLUMN takes one column per statement in Redshift"
                            : "ALTER TABLE takes one action per statement in Redshift");
        }
        List<Token> action = actions.isEmpty() ? List.of() : actions.get(0);
        String prefix = "ALTER TABLE " + table + " ";
        if (Sig.is(action, 0, "ADD")
                && !Sig.is(action, 1, "CONSTRAINT")
                && !Sig.is(action, 1, "PRIMARY")
                && !Sig.is(action, 1, "UNIQUE")
                && !Sig.is(action, 1, "FOREIGN")
                && !Sig.is(action, 1, "CHECK")) {
            return prefix + addColumn(action);
        }
        if (Sig.is(action, 0, "ADD")) {
            int k = Sig.is(action, 1, "CONSTRAINT") ? 3 : 1;
            if (Sig.is(action, k, "CHECK")) {
                throw Rejected.syntax("CHECK", "Redshift has no CHECK constraints");
            }
            return "SELECT 'ALTER TABLE ADD CONSTRAINT: declared, not enforced' AS zeroetl_emulator_note";
        }
        if (Sig.is(action, 0, "DROP") && !Sig.is(action, 1, "CONSTRAINT")) {
            int c = Sig.is(action, 1, "COLUMN") ? 2 : 1;
            boolean ifExists = Sig.is(action, c, "IF") && Sig.is(action, c + 1, "EXISTS");
            Token column = action.get(ifExists ? c + 2 : c);
            boolean cascade = Sig.is(action, action.size() - 1, "CASCADE");
            return dropColumn(table, column, prefix + Sig.join(action), cascade);
        }
        if (Sig.is(action, 0, "RENAME") && Sig.is(action, action.size() - 2, "TO")) {
            TableDdl.checkColumnName(action.get(action.size() - 1));
        }
        if (Sig.is(action, 0, "ALTER")) {
            int c = Sig.is(action, 1, "COLUMN") ? 2 : 1;
            Token column = action.get(c);
            if (Sig.is(action, c + 1, "SET") || Sig.is(action, c + 1, "DROP")) {
                throw Rejected.syntax(
                        action.get(c + 1).text,
                        "Redshift cannot ALTER COLUMN ... "
                                + Sig.upper(action, c + 1, Sig.is(action, c + 2, "NOT") ? c + 4 : c + 3)
                                + "; rebuild the table instead");
            }
            if (Sig.is(action, c + 1, "TYPE") || Sig.is(action, c + 1, "SET") && Sig.is(action, c + 2, "DATA")) {
                int t = Sig.is(action, c + 1, "TYPE") ? c + 2 : c + 4;
                return alterColumnType(prefix, column, Sig.type(action, t), inTransactionBlock);
            }
        }
        return prefix + Sig.join(action);
    }

    /**
     * DROP COLUMN, refused as Redshift refuses it (r_ALTER_TABLE): the distribution key or a sort key column
     * never, a primary key column only with CASCADE, the last column never. The keys were kept as marker
     * constraints when the table was created; the check runs in the session, so it sees a table created in
     * the same transaction.
     */
    private static String dropColumn(String table, Token column, String drop, boolean cascade) {
        String t = dollar(table);
        String c = dollar(column.name());
        return "DO $zeroetl_drop$ DECLARE t regclass := " + t + "::regclass; n int2; BEGIN"
                + " SELECT attnum INTO n FROM pg_attribute WHERE attrelid = t AND attname = " + c
                + " AND NOT attisdropped AND attnum > 0;"
                + " IF n IS NOT NULL THEN"
                + " IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = t AND conname IN ('zeroetl_distkey',"
                + " 'zeroetl_sortkey') AND n = ANY (conkey)) THEN RAISE EXCEPTION USING ERRCODE = '0A000',"
                + " MESSAGE = 'cannot drop sortkey or distkey column ' || quote_ident(" + c + ");"
                + " END IF;"
                + (cascade
                        ? ""
                        : " IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = t AND conname ="
                                + " 'zeroetl_pkey' AND n = ANY (conkey)) THEN RAISE EXCEPTION USING ERRCODE = '2BP01',"
                                + " MESSAGE = 'cannot drop column ' || quote_ident(" + c
                                + ") || ' because other objects depend"
                                + " on it (its primary key)', HINT = 'Use DROP ... CASCADE to drop the dependent objects too.';"
                                + " END IF;")
                + " IF (SELECT count(*) FROM pg_attribute WHERE attrelid = t AND attnum > 0 AND NOT attisdropped) = 1"
                + " THEN RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'cannot drop the last column of a table';"
                + " END IF; END IF;"
                + " EXECUTE " + dollar(drop) + "; END $zeroetl_drop$";
    }

    /** {@code text} as a dollar-quoted literal (immune to standard_conforming_strings). */
    private static String dollar(String text) {
        String tag = "$zeroetl_q$";
        while (text.contains(tag)) {
            tag = tag.substring(0, tag.length() - 1) + "q$";
        }
        return tag + text + tag;
    }

    private static String addColumn(List<Token> action) {
        int c = Sig.is(action, 1, "COLUMN") ? 2 : 1;
        if (Sig.is(action, c, "IF")) {
            throw Rejected.syntax("IF", "Redshift has no ADD COLUMN IF NOT EXISTS");
        }
        List<Token> definition = action.subList(c, action.size());
        // keywords only: a quoted column name such as "identity_2" or "sortkey" is a name, not a clause
        String upper = " "
                + definition.stream()
                        .map(t -> t.kind == Token.Kind.WORD ? t.text.toUpperCase(Locale.ROOT) : "_")
                        .collect(Collectors.joining(" "))
                + " ";
        if (upper.contains(" NOT NULL ") && !upper.contains(" DEFAULT ")) {
            throw Rejected.unsupported(
                    "ALTER TABLE ADD COLUMN defined as NOT NULL must have a non-null default" + " expression");
        }
        if (upper.contains(" PRIMARY KEY ")
                || upper.contains(" UNIQUE ")
                || upper.contains(" DISTKEY ")
                || upper.contains(" SORTKEY ")
                || upper.contains(" IDENTITY")) {
            throw Rejected.unsupported("ALTER TABLE ADD COLUMN cannot add a key, distkey, sortkey or identity column");
        }
        return "ADD COLUMN " + TableDdl.column(definition, new TableDdl.Keys());
    }

    private static String alterColumnType(String prefix, Token column, Sig.TypeRef type, boolean inTransactionBlock) {
        if (!List.of("VARCHAR", "CHARACTER VARYING", "NVARCHAR").contains(type.name())) {
            throw Rejected.unsupported("target data type " + type.name().toLowerCase(Locale.ROOT) + " is not supported:"
                    + " Redshift's ALTER COLUMN TYPE only changes the length of a VARCHAR column");
        }
        if (inTransactionBlock) {
            throw new Rejected(Rejected.INTERNAL, "ALTER TABLE ALTER COLUMN cannot run inside a transaction block");
        }
        RedshiftTypes.Mapped mapped = RedshiftTypes.column(type.name(), type.args(), false);
        String check = String.format(Locale.ROOT, mapped.check(), column.text);
        String table = prefix.substring("ALTER TABLE ".length()).trim();
        return "DO $zeroetl_type$ DECLARE t regclass := " + dollar(table) + "::regclass; r record; BEGIN"
                + " FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = t AND conname LIKE 'zeroetl_len_%'"
                + " AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = t AND attname = "
                + dollar(column.name()) + " AND NOT attisdropped)] LOOP"
                + " EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t, r.conname); END LOOP;"
                + " EXECUTE "
                + dollar(prefix + "ALTER COLUMN " + column.text + " TYPE varchar, ADD CONSTRAINT "
                        + TableDdl.limitName() + " CHECK (" + check + ")")
                + "; END $zeroetl_type$";
    }
}
