package io.zeroetl.postgres.internal.replication;

import io.zeroetl.TableId;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.ddl.DdlTrigger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the source stops telling us, asked every status interval while streaming: whether each streamed table
 * is still in the publication, whole (no row filter or column list), and whether the publication still
 * publishes every kind of change — a DBA may edit it, and without DDL capture nothing else says so; how much
 * WAL the slot may still keep ({@code wal_status}, {@code safe_wal_size}); and whether DDL capture is still on.
 * A table the stream no longer tells of everything is to be copied again (put back in zeroetl's own
 * publication first, or FAILED with the fix when a DBA owns it); capture found off is turned on again with a
 * request, in the WAL, to copy every table; the rest are warnings shown in the pipeline's status.
 */
final class SourceHealth {
    private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);

    private final MetadataConnection metadata;
    private final String slot;
    private final String publication;
    private final boolean captureExpected;
    private final long intervalNanos;
    private final Function<TableId, Optional<TableSchema>> describe;
    private final Consumer<List<String>> warnings;
    /** Tables found out of the publication once: asked to be copied when still out at the next check. */
    private final Set<TableId> missingOnce = new TreeSet<>();
    /** Tables asked to be copied again, until seen back in the publication. */
    private final Set<TableId> asked = new TreeSet<>();

    private long lastCheck = System.nanoTime();

    SourceHealth(
            MetadataConnection metadata,
            String slot,
            String publication,
            boolean captureExpected,
            Duration interval,
            Function<TableId, Optional<TableSchema>> describe,
            Consumer<List<String>> warnings) {
        this.metadata = metadata;
        this.slot = slot;
        this.publication = publication;
        this.captureExpected = captureExpected;
        this.intervalNanos = interval.toNanos();
        this.describe = describe;
        this.warnings = warnings;
    }

    /** Whether a check is due. */
    boolean due() {
        return System.nanoTime() - lastCheck >= intervalNanos;
    }

    /**
     * Checks the source now; {@return the schema changes that ask for {@code tables} the stream no longer tells
     * everything of to be copied again}. A failure to ask is logged, not thrown: the stream goes on.
     */
    List<SchemaChangeEvent> check(Set<TableId> tables) {
        lastCheck = System.nanoTime();
        try {
            return metadata.call(c -> {
                List<String> found = new ArrayList<>();
                slot(c, found);
                capture(c, tables, found);
                Map<TableId, String> recopy = publication(c, tables, found);
                warnings.accept(List.copyOf(found));
                List<SchemaChangeEvent> changes = new ArrayList<>();
                recopy.forEach((table, why) -> describe.apply(table)
                        .ifPresent(now -> changes.add(
                                new SchemaChangeEvent(table, "ALTER PUBLICATION", "", now, Map.of(), null, why))));
                return changes;
            });
        } catch (RuntimeException e) {
            LOG.debug("Checking the source's health failed: {}", e.toString());
            return List.of();
        }
    }

    private void slot(Connection c, List<String> found) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_jsonb(s) ->> 'wal_status', to_jsonb(s) ->>"
                + " 'safe_wal_size' FROM pg_replication_slots s WHERE s.slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    found.add("slot " + slot + " is gone: the stream cannot go on, and the tables will be copied"
                            + " again when it reopens");
                    return;
                }
                String status = rs.getString(1);
                if ("unreserved".equals(status)) {
                    found.add("slot " + slot + " holds more WAL than max_slot_wal_keep_size allows: the source may"
                            + " remove WAL the pipeline has not read (" + rs.getString(2) + " bytes to spare); should"
                            + " it, the slot is lost and every table copied again. Let the pipeline catch up, or raise"
                            + " max_slot_wal_keep_size");
                } else if ("lost".equals(status)) {
                    found.add("slot " + slot + " was invalidated by the source (WAL it needed was removed): every"
                            + " table is copied again when the stream reopens");
                }
            }
        }
    }

    private void capture(Connection c, Set<TableId> tables, List<String> found) throws SQLException {
        if (!captureExpected) {
            return;
        }
        List<String> off = DdlTrigger.captureOff(c);
        if (off.isEmpty()) {
            return;
        }
        try {
            if (DdlTrigger.install(c, tables)) {
                LOG.warn(
                        "DDL capture was turned off ({}) while streaming: it is on again, and the tables are copied"
                                + " again",
                        String.join(", ", off));
                return;
            }
        } catch (SQLException e) {
            LOG.debug("Turning DDL capture on again failed: {}", e.toString());
        }
        found.add("DDL capture is off (" + String.join(", ", off) + "): schema changes are inferred from the rows"
                + " alone (a rename looks like a drop and an add); have a DBA enable the event triggers again and"
                + " resync the tables");
    }

    /** The streamed tables the publication no longer carries whole, with the reason. */
    private Map<TableId, String> publication(Connection c, Set<TableId> tables, List<String> found)
            throws SQLException {
        Map<TableId, String> recopy = new HashMap<>();
        Boolean everyKind = null;
        boolean viaRoot = false;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pubinsert AND pubupdate AND pubdelete AND pubtruncate,"
                        + " coalesce((to_jsonb(p) ->> 'pubviaroot')::boolean, false) FROM pg_publication p WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    everyKind = rs.getBoolean(1);
                    viaRoot = rs.getBoolean(2);
                }
            }
        }
        if (everyKind == null) {
            found.add("publication " + publication + " is gone: the stream cannot go on");
            return recopy;
        }
        List<String> schemas = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TableId table : tables) {
            schemas.add(table.schema());
            names.add(table.table());
        }
        Array s = c.createArrayOf("text", schemas.toArray());
        Array n = c.createArrayOf("text", names.toArray());
        // a partitioned table is listed by its partitions in pg_publication_tables: its membership is its own row
        try (PreparedStatement ps = c.prepareStatement("SELECT t.s, t.n, EXISTS (SELECT 1 FROM pg_publication_tables p"
                + " WHERE p.pubname = ? AND p.schemaname = t.s AND p.tablename = t.n) OR EXISTS (SELECT 1 FROM"
                + " pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE p.pubname = ? AND"
                + " pr.prrelid = to_regclass(quote_ident(t.s) || '.' || quote_ident(t.n))) OR EXISTS (SELECT 1 FROM"
                + " pg_publication WHERE pubname = ? AND puballtables),"
                + " EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid"
                + " WHERE p.pubname = ? AND pr.prrelid = to_regclass(quote_ident(t.s) || '.' || quote_ident(t.n))"
                + " AND (to_jsonb(pr) ->> 'prqual' IS NOT NULL OR to_jsonb(pr) ->> 'prattrs' IS NOT NULL)),"
                + " (SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(quote_ident(t.s) || '.'"
                + " || quote_ident(t.n))) FROM unnest(?::text[], ?::text[]) AS t(s, n)"
                + " WHERE to_regclass(quote_ident(t.s) || '.' || quote_ident(t.n)) IS NOT NULL")) {
            ps.setString(1, publication);
            ps.setString(2, publication);
            ps.setString(3, publication);
            ps.setString(4, publication);
            ps.setArray(5, s);
            ps.setArray(6, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableId table = TableId.of(rs.getString(1), rs.getString(2));
                    String why = !rs.getBoolean(3)
                            ? "it is no longer in publication " + publication + " (taken out by ALTER PUBLICATION),"
                                    + " so its changes since were not streamed"
                            : rs.getBoolean(4)
                                    ? "publication " + publication + " has a row filter or column list for it, so"
                                            + " only part of its changes are streamed"
                                    : !everyKind
                                            ? "publication " + publication + " no longer publishes every kind of"
                                                    + " change (publish = insert, update, delete, truncate)"
                                            : viaRoot && rs.getBoolean(5)
                                                    ? Partitions.viaRootReason(publication)
                                                    : null;
                    if (why == null) {
                        missingOnce.remove(table);
                        asked.remove(table);
                    } else if (!asked.contains(table) && !missingOnce.add(table)) {
                        // out at two checks in a row: a captured ALTER PUBLICATION would have asked by now
                        missingOnce.remove(table);
                        asked.add(table);
                        LOG.warn("{}: {}; copying it again", table, why);
                        recopy.put(table, why);
                    }
                }
            }
        }
        return recopy;
    }
}
