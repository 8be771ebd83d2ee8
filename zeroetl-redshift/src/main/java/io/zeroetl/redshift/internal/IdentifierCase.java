package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster's other sessions can address the mixed-case names zeroetl creates. zeroetl's own sessions
 * turn {@code enable_case_sensitive_identifier} on, but a setting made in a session is that session's only: a BI
 * tool or an analyst whose sessions keep the default (off) reads {@code "OrderLines"} as {@code orderlines} and
 * cannot find the table (r_enable_case_sensitive_identifier). What new sessions get is read once at start
 * ({@code RESET}, then {@code SHOW}, then turned on again); when it is off, each table with a mixed-case name or
 * column is reported — a warning, or with {@code requireCaseSensitiveIdentifiers} that table's failure.
 */
final class IdentifierCase {
    private static final Logger LOG = LoggerFactory.getLogger(IdentifierCase.class);

    private final boolean require;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile boolean othersFold;

    IdentifierCase(boolean require) {
        this.require = require;
    }

    /** Reads whether new sessions fold identifiers to lower case (autocommit; the session's setting is restored). */
    void read(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("RESET enable_case_sensitive_identifier");
            try (ResultSet rs = s.executeQuery("SHOW enable_case_sensitive_identifier")) {
                othersFold = rs.next() && !isOn(rs.getString(1));
            } finally {
                s.execute("SET enable_case_sensitive_identifier TO true");
            }
        }
    }

    private static boolean isOn(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("true") || v.equals("1");
    }

    /** Reports {@code table} when other sessions cannot address its names; fails it when that is required. */
    void check(TargetTable table) {
        if (!othersFold) {
            return;
        }
        List<String> mixed = new ArrayList<>();
        for (String name : List.of(table.schema, table.name)) {
            if (mixedCase(name)) {
                mixed.add(name);
            }
        }
        for (TargetTable.TargetColumn column : table.columns) {
            if (mixedCase(column.name())) {
                mixed.add(column.name());
            }
        }
        if (mixed.isEmpty()) {
            return;
        }
        String what = "its target " + table.qualified() + " has mixed-case names " + mixed + ", which sessions"
                + " other than zeroetl's cannot address: the cluster's enable_case_sensitive_identifier is off for"
                + " new sessions (r_enable_case_sensitive_identifier); turn it on in the cluster's parameter group"
                + " (Serverless: the workgroup's configuration), as AWS zero-ETL requires, or give the table"
                + " lower-case target names in its rules";
        if (require) {
            throw new TableFailedException(table.source, what);
        }
        if (reported.add(table.qualified())) {
            LOG.warn("Table {}: {}", table.source, what);
        }
    }

    private static boolean mixedCase(String name) {
        return !name.equals(name.toLowerCase(Locale.ROOT));
    }
}
