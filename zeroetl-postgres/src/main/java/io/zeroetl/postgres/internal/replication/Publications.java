package io.zeroetl.postgres.internal.replication;

import io.zeroetl.ErrorCode;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's publication: created or extended with the selected tables (when zeroetl owns it), and the
 * privileges that takes checked first, so a refusal names what to grant or what a DBA can do instead.
 */
final class Publications {
    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    private Publications() {}

    /** Creates or extends the publication; returns the tables it had to add. */
    static Set<TableId> ensurePublication(Connection c, String publication, boolean own, Set<TableId> tables)
            throws SQLException {
        Set<TableId> published = new TreeSet<>();
        boolean exists;
        // a partitioned table in a publication is listed there by its partitions: its own membership is a row of
        // pg_publication_rel; a publication FOR ALL TABLES has every table
        try (PreparedStatement ps = c.prepareStatement("SELECT schemaname, tablename FROM pg_publication_tables"
                + " WHERE pubname = ? UNION SELECT n.nspname, cl.relname FROM pg_publication_rel pr"
                + " JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class cl ON cl.oid = pr.prrelid"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE p.pubname = ?")) {
            ps.setString(1, publication);
            ps.setString(2, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    published.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                exists = rs.getInt(1) > 0;
            }
        }
        if (!exists && !own) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION,
                    "publication: the source has no publication "
                            + publication + "; create it (CREATE PUBLICATION " + SourceSetup.quote(publication)
                            + " FOR TABLE ...) or leave"
                            + " the option unset so zeroetl creates its own");
        }
        boolean allTables = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                allTables = rs.next() && rs.getBoolean(1);
            }
        }
        List<TableId> missing = new ArrayList<>();
        for (TableId table : tables) {
            if (!allTables && !published.contains(table)) {
                missing.add(table);
            }
        }
        if (tables.isEmpty() && !exists) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE PUBLICATION " + SourceSetup.quote(publication));
            }
            return Set.of();
        }
        if (missing.isEmpty()) {
            return Set.of();
        }
        String list = String.join(", ", missing.stream().map(TableId::quoted).toList());
        checkMayPublish(c, publication, exists, missing, list);
        try (Statement s = c.createStatement()) {
            if (exists) {
                s.execute("ALTER PUBLICATION " + SourceSetup.quote(publication) + " ADD TABLE " + list);
            } else {
                s.execute("CREATE PUBLICATION " + SourceSetup.quote(publication) + " FOR TABLE " + list);
            }
        }
        LOG.info("Publication {} now includes {}", publication, list);
        return exists ? new TreeSet<>(missing) : Set.of();
    }

    /**
     * Names the privilege the source user lacks to create zeroetl's publication or add {@code missing} to it,
     * with the statements that grant it and the alternative (a DBA creates the publication).
     */
    static void checkMayPublish(Connection c, String publication, boolean exists, List<TableId> missing, String list)
            throws SQLException {
        String user = SourceSetup.single(c, "SELECT current_user");
        String dba = " Or have a DBA create the publication (CREATE PUBLICATION " + SourceSetup.quote(publication)
                + " FOR TABLE "
                + list + ") and leave zeroetl only REPLICATION and SELECT; with a publication of another name, set"
                + " publication(name) on the source builder.";
        if (!exists
                && !Boolean.parseBoolean(
                        SourceSetup.single(c, "SELECT has_database_privilege(current_database(), 'CREATE')::text"))) {
            throw new ZeroEtlException(
                    ErrorCode.PERMISSION,
                    "The source user " + user + " may not create zeroetl's"
                            + " publication " + publication
                            + ": that needs CREATE on the database (GRANT CREATE ON DATABASE "
                            + SourceSetup.quote(SourceSetup.single(c, "SELECT current_database()")) + " TO "
                            + SourceSetup.quote(user)
                            + ") and ownership of the"
                            + " tables." + dba);
        }
        if (exists && !ownsPublication(c, publication)) {
            throw new ZeroEtlException(
                    ErrorCode.PERMISSION,
                    "The source user " + user + " may not add " + list
                            + " to the publication " + publication + ": only its owner may (ALTER PUBLICATION "
                            + SourceSetup.quote(publication) + " OWNER TO " + SourceSetup.quote(user)
                            + ", or a DBA runs ALTER PUBLICATION "
                            + SourceSetup.quote(publication) + " ADD TABLE " + list + ").");
        }
        List<String> notOwned = new ArrayList<>();
        for (TableId table : missing) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_has_role(current_user, cl.relowner, 'USAGE')"
                    + " FROM pg_class cl WHERE cl.oid = to_regclass(?)")) {
                ps.setString(1, table.quoted());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        notOwned.add(table.quoted());
                    }
                }
            }
        }
        if (!notOwned.isEmpty()) {
            throw new ZeroEtlException(
                    ErrorCode.PERMISSION,
                    "The source user " + user + " may not publish "
                            + String.join(", ", notOwned)
                            + ": PostgreSQL lets only a table's owner (or a member of the owning"
                            + " role) add it to a publication (GRANT <owner role> TO " + SourceSetup.quote(user) + ")."
                            + dba);
        }
    }

    static boolean ownsPublication(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_has_role(current_user, pubowner, 'USAGE')" + " FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }
}
