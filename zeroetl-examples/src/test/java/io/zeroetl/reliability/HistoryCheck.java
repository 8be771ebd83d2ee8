package io.zeroetl.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * History mode keeps exactly one version per source change: for each key of {@code accounts}, the target
 * holds as many versions as the source's audit table counts inserts and updates of it (a delete closes the
 * active version), and at most one active version, which exists exactly when the key does at the source.
 */
final class HistoryCheck {
    private HistoryCheck() {}

    /** Every key whose versions in the target disagree with the source's audit, described; empty when none. */
    static Map<Long, String> differences(Rig rig) throws SQLException {
        Map<Long, long[]> expected = new TreeMap<>();
        try (Connection c = rig.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT a.id, count(*) FILTER (WHERE a.op IN ('I', 'U')),"
                                + " bool_or(EXISTS (SELECT 1 FROM accounts x WHERE x.id = a.id)) FROM accounts_audit a GROUP BY a.id")) {
            while (rs.next()) {
                expected.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getBoolean(3) ? 1 : 0});
            }
        }
        Map<Long, long[]> actual = new TreeMap<>();
        try (Connection c = rig.redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, count(*), sum(CASE WHEN _record_is_active THEN 1 ELSE 0 END)"
                        + " FROM public.accounts GROUP BY id")) {
            while (rs.next()) {
                actual.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        Map<Long, String> differences = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : expected.entrySet()) {
            long[] a = actual.getOrDefault(e.getKey(), new long[] {0, 0});
            long[] x = e.getValue();
            if (a[0] != x[0] || a[1] != x[1]) {
                differences.put(
                        e.getKey(),
                        "expected " + x[0] + " versions (" + x[1] + " active), found " + a[0] + " (" + a[1]
                                + " active)");
            }
        }
        for (Long key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                differences.put(key, "versions of a key the source never had");
            }
        }
        return differences;
    }
}
