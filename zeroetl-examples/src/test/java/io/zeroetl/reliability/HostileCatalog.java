package io.zeroetl.reliability;

import io.zeroetl.reliability.HostileCase.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile input catalog: values, shapes, DDL and transactions that break replication tools, each with
 * the outcome the README's table promises. Each case has a table of its own, so a FAILED one shows that
 * the others go on.
 */
final class HostileCatalog {
    static final int BIG_TRANSACTION = Scale.of(200_000, 1_000_000);
    static final int TINY_TRANSACTIONS = 10_000;

    private final List<HostileCase> cases = new ArrayList<>();
    /** The kind of the cases {@link #table} adds. */
    String section = "ddl";

    private HostileCatalog() {}

    static List<HostileCase> cases() {
        HostileCatalog c = new HostileCatalog();
        HostileValues.addTo(c);
        HostileShapes.addTo(c);
        HostileDdl.addTo(c);
        HostileTransactions.addTo(c);
        HostileEdges.addTo(c);
        return List.copyOf(c.cases);
    }

    void value(String description, String type, String literal, Outcome outcome, String reason, String policy) {
        String name = "h_v" + (cases.size() + 1);
        add(
                "value",
                description,
                "public." + name,
                List.of(
                        "CREATE TABLE " + name + " (id int PRIMARY KEY, v " + type + ")",
                        "INSERT INTO " + name + " VALUES (1, NULL)"),
                List.of("INSERT INTO " + name + " VALUES (2, " + literal + ")"),
                outcome,
                reason,
                policy);
    }

    void simple(String kind, String description, String table, String column, Outcome outcome) {
        String t = Sql.id(table);
        add(
                kind,
                description,
                "public." + table,
                List.of(
                        "CREATE TABLE " + t + " (id int PRIMARY KEY, " + Sql.id(column) + " text)",
                        "INSERT INTO " + t + " VALUES (1, " + Sql.literal(table) + ")"),
                List.of(
                        "INSERT INTO " + t + " VALUES (2, " + Sql.literal(column) + ")",
                        "UPDATE " + t + " SET " + Sql.id(column) + " = 'updated' WHERE id = 1"),
                outcome,
                null,
                null);
    }

    /** A case on a table {@code (id int PRIMARY KEY, v text, n int)} with two rows, changed by {@code during}. */
    void table(String description, String name, List<String> during, Outcome outcome, String reason) {
        add(
                section,
                description,
                "public." + name,
                List.of(
                        "CREATE TABLE " + name + " (id int PRIMARY KEY, v text, n int)",
                        "INSERT INTO " + name + " VALUES (1, 'a', 1), (2, 'b', 2)"),
                during,
                outcome,
                reason,
                null);
    }

    void add(
            String kind,
            String description,
            String table,
            List<String> before,
            List<String> during,
            Outcome outcome,
            String reason,
            String policy) {
        cases.add(new HostileCase(cases.size() + 1, kind, description, table, before, during, outcome, reason, policy));
    }
}
