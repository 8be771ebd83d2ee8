package io.zeroetl.postgres.internal.replication;

import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.internal.PgErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies a table to be copied and streamed while running (a resync, a table created since the start, a table
 * the source stopped telling us of): readable, identifiable, and carried whole by a publication that publishes
 * every kind of change — zeroetl's own is put right, a DBA's is left to the DBA with the fix.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private Admission() {}

    /**
     * Readies {@code table} to be copied and streamed while running (a resync, or a table created since
     * the start): readable, identifiable, in the publication (added when zeroetl owns it). Returns why it
     * cannot be, or null.
     */
    static String admit(Connection c, String publication, boolean own, TableId table) {
        for (int attempt = 1; ; attempt++) {
            try {
                return admitOnce(c, publication, own, table);
            } catch (SQLException e) {
                // a DBA (or another pipeline's health check) changed the publication between the look and the
                // change ("already member"): look again
                if (!"42710".equals(e.getSQLState()) || attempt == 3) {
                    ZeroEtlException classified = PgErrors.classify("preparing " + table + " to be copied", e);
                    if (classified.isRetriable()) {
                        // the source is restarting or unreachable: the stream fails, reopens, and the copy is asked
                        // again
                        throw classified;
                    }
                    return "the source refused it: " + e.getMessage();
                }
                LOG.info("Publication {} changed while {} was being added to it; looking again", publication, table);
            }
        }
    }

    private static String admitOnce(Connection c, String publication, boolean own, TableId table) throws SQLException {
        try {
            String reason = SourceSetup.checkTable(c, table);
            if (reason != null) {
                return reason;
            }
            String kinds = everyKind(c, publication, own);
            if (kinds != null) {
                return kinds;
            }
            boolean published;
            boolean partial;
            if (Partitions.partitioned(c, table) && Partitions.viaRoot(c, publication, own)) {
                return Partitions.viaRootReason(publication);
            }
            // a partitioned table is listed by its partitions in pg_publication_tables: its membership is its own row
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_publication_tables"
                    + " WHERE pubname = ? AND schemaname = ? AND tablename = ?) OR EXISTS (SELECT 1 FROM"
                    + " pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE p.pubname = ?"
                    + " AND pr.prrelid = to_regclass(?)) OR EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ?"
                    + " AND puballtables), EXISTS (SELECT 1 FROM"
                    + " pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE p.pubname = ?"
                    + " AND pr.prrelid = to_regclass(?) AND (to_jsonb(pr) ->> 'prqual' IS NOT NULL"
                    + " OR to_jsonb(pr) ->> 'prattrs' IS NOT NULL))")) {
                ps.setString(1, publication);
                ps.setString(2, table.schema());
                ps.setString(3, table.table());
                ps.setString(4, publication);
                ps.setString(5, table.quoted());
                ps.setString(6, publication);
                ps.setString(7, publication);
                ps.setString(8, table.quoted());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    published = rs.getBoolean(1);
                    partial = rs.getBoolean(2);
                }
            }
            if (published && !partial) {
                return null;
            }
            if (!own) {
                return partial
                        ? "publication " + publication + " has a row filter or column list for it, so only part of it"
                                + " would be streamed: ALTER PUBLICATION " + SourceSetup.quote(publication)
                                + " SET TABLE ... "
                                + table.quoted() + " without them, then resync the table"
                        : "not in publication " + publication + ": ALTER PUBLICATION " + SourceSetup.quote(publication)
                                + " ADD TABLE " + table.quoted() + ", then resync the table";
            }
            try (Statement s = c.createStatement()) {
                if (partial) {
                    // zeroetl replicates whole tables: its own publication carries no row filter or column list
                    s.execute("ALTER PUBLICATION " + SourceSetup.quote(publication) + " DROP TABLE " + table.quoted());
                }
                s.execute("ALTER PUBLICATION " + SourceSetup.quote(publication) + " ADD TABLE " + table.quoted());
            }
            LOG.info("Publication {} now includes {}", publication, table);
            return null;
        } catch (ZeroEtlException e) {
            return e.getMessage();
        }
    }

    /**
     * Null when the publication publishes every kind of change (or, being zeroetl's own, now does again); else
     * why not, with the fix.
     */
    private static String everyKind(Connection c, String publication, boolean own) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pubinsert AND pubupdate AND pubdelete AND pubtruncate"
                + " FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        if (!own) {
            return "publication " + publication + " does not publish every kind of change: ALTER PUBLICATION "
                    + SourceSetup.quote(publication)
                    + " SET (publish = 'insert, update, delete, truncate'), then resync the table";
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER PUBLICATION " + SourceSetup.quote(publication)
                    + " SET (publish = 'insert, update, delete, truncate')");
        }
        LOG.warn("Publication {} publishes every kind of change again", publication);
        return null;
    }
}
