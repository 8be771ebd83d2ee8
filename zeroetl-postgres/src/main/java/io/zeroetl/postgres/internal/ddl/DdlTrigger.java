package io.zeroetl.postgres.internal.ddl;

import io.zeroetl.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, on the source, the event triggers of {@code ddl-trigger.sql}: on {@code ddl_command_end}, on
 * {@code sql_drop} and on {@code table_rewrite}. For every command that changes a table's definition, or what
 * its stored values read as, they write a transactional logical message ({@code zeroetl_ddl}) per table
 * concerned, at the command's place in the WAL: the command tag and text, the table's columns before (as last
 * recorded in {@code zeroetl.ddl_columns}, with their types) and after the change, the columns it renamed,
 * the table's name before (from {@code zeroetl.ddl_tables}), whether the command rewrote the table, and what
 * the trigger found itself (a column added with a default; the table taken out of a publication). Besides
 * tables, a type (an enum label renamed, a composite type's attributes changed, an extension updated), a
 * schema (renamed) and a publication (a table taken out, a row filter, fewer kinds of change published)
 * concern every table whose values they touch. {@link DdlEffects} decides what each message means.
 *
 * <p>Any database user can write a logical message, so every message is signed: HMAC-SHA256 with a key in
 * {@code zeroetl.ddl_key} that only the trigger's owner and the replication user can read; the decoder
 * ignores (and counts) any message whose signature does not verify. Messages are UTF-8 whatever the
 * database's encoding. When capturing fails, the trigger does not break the user's DDL: it writes a signed
 * message saying so instead, and the pipeline copies the table again rather than diverge silently. When a
 * change leaves a table in one of zeroetl's publications without a usable replica identity (its primary key
 * dropped or made DEFERRABLE), the trigger takes the table out of the publication in the same transaction —
 * so the application's own UPDATEs and DELETEs never fail because of zeroetl — and the pipeline fails the
 * table with the fix.
 *
 * <p>The SQL is in {@link #SQL}, for a DBA to run when zeroetl's user may not (then {@code GRANT SELECT ON
 * zeroetl.ddl_key TO} the replication user). The functions run as their owner (SECURITY DEFINER), so DDL by
 * any user is captured.
 */
public final class DdlTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(DdlTrigger.class);

    /** The installation script (idempotent), from {@code ddl-trigger.sql}. Event triggers need a superuser. */
    public static final String SQL = script();

    /** The event triggers whose being off (disabled, or dropped) means DDL may have gone uncaptured. */
    private static final List<String> CAPTURING = List.of("zeroetl_ddl", "zeroetl_drop");

    private DdlTrigger() {}

    /**
     * Installs the trigger when the user may (a superuser), and records the current columns of
     * {@code tables} so their first rename is recognised. Returns whether DDL is captured. When an installed
     * trigger is found disabled or dropped, DDL run meanwhile may have changed the tables' values unseen: it
     * is enabled again and, in the same transaction, each of {@code tables} gets a signed message asking that
     * it be copied again — in the WAL, so a crash cannot lose the request.
     */
    public static boolean install(Connection c, Set<TableId> tables) throws SQLException {
        boolean superuser;
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            superuser = rs.next() && rs.getBoolean(1);
        }
        if (!superuser) {
            LOG.warn("DDL capture is off: creating the event trigger needs a superuser. Have a DBA run"
                    + " ddl-trigger.sql (see the README); until then a column rename looks like a drop and an add");
            return false;
        }
        List<String> off = captureOff(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(SQL);
            }
            record(c, tables);
            if (!off.isEmpty()) {
                LOG.warn(
                        "DDL capture was off ({}), so schema changes run meanwhile were not seen: it is on again, and"
                                + " the tables are copied again",
                        String.join(", ", off));
                askToCopyAgain(
                        c,
                        tables,
                        "DDL capture was off (" + String.join(", ", off) + "): schema changes made meanwhile were"
                                + " not seen");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return true;
    }

    /**
     * The capturing triggers that an earlier installation left and that are now disabled or gone; empty when
     * there was no installation (nothing was ever captured, so nothing was missed) or all are on.
     *
     * @param c a connection to the source
     * @return each trigger that is off, and how
     * @throws SQLException when the source cannot be asked
     */
    public static List<String> captureOff(Connection c) throws SQLException {
        List<String> off = new ArrayList<>();
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT t.name, e.evtenabled FROM unnest(ARRAY['"
                        + String.join("', '", CAPTURING) + "']) AS t(name) LEFT JOIN pg_event_trigger e"
                        + " ON e.evtname = t.name WHERE to_regclass('zeroetl.ddl_key') IS NOT NULL")) {
            while (rs.next()) {
                String state = rs.getString(2);
                if (state == null || state.equals("D")) {
                    off.add(rs.getString(1) + (state == null ? " dropped" : " disabled"));
                }
            }
        }
        return off;
    }

    /** Writes, for each table, a signed message saying why it must be copied again. */
    static void askToCopyAgain(Connection c, Set<TableId> tables, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT zeroetl.emit_ddl(json_build_object('tag',"
                + " 'CAPTURE FAILED', 'schema', ?::text, 'table', ?::text, 'error', ?::text, 'statement', ''))")) {
            for (TableId table : tables) {
                ps.setString(1, table.schema());
                ps.setString(2, table.table());
                ps.setString(3, why);
                ps.executeQuery().close();
            }
        }
    }

    private static void record(Connection c, Set<TableId> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO zeroetl.ddl_tables SELECT c.oid, n.nspname,"
                + " c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)"
                + " ON CONFLICT (relid) DO UPDATE SET nspname = excluded.nspname, relname = excluded.relname")) {
            for (TableId table : tables) {
                ps.setString(1, table.quoted());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO zeroetl.ddl_columns SELECT a.attrelid, a.attnum,"
                + " a.attname, a.atttypid, a.atttypmod, a.attgenerated, a.attgenerated = '' OR a.attgenerated = 's'"
                + " AND current_setting('server_version_num')::int >= 180000 FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped"
                + " ON CONFLICT (relid, attnum) DO UPDATE SET attname = excluded.attname, atttypid = excluded.atttypid,"
                + " atttypmod = excluded.atttypmod, attgenerated = excluded.attgenerated,"
                + " published = excluded.published")) {
            for (TableId table : tables) {
                ps.setString(1, table.quoted());
                ps.executeUpdate();
            }
        }
    }

    private static String script() {
        try (InputStream in = DdlTrigger.class.getResourceAsStream("/io/zeroetl/postgres/ddl-trigger.sql")) {
            if (in == null) {
                throw new IllegalStateException("ddl-trigger.sql is missing from zeroetl-postgres");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
