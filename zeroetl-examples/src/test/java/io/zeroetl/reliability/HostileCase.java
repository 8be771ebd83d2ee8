package io.zeroetl.reliability;

import java.util.List;

/**
 * One case of the hostile input catalog: SQL run before the pipeline starts, SQL run while it streams, the
 * table whose fate is checked, and the outcome the README promises for it.
 *
 * @param number the case's number in the README
 * @param kind value, shape, DDL or transaction
 * @param description what the case does, as the README says it
 * @param table the source table checked ({@code schema.table} as PostgreSQL names it, unquoted)
 * @param before statements run before the pipeline starts
 * @param during statements run while it streams
 * @param outcome what must happen
 * @param reason for FAILED, text the table's recorded reason contains
 * @param policy the value policy of the table, or null for the default (FAIL_TABLE)
 */
record HostileCase(
        int number,
        String kind,
        String description,
        String table,
        List<String> before,
        List<String> during,
        Outcome outcome,
        String reason,
        String policy) {
    /** What a case may end in; never a crash loop, silent loss or data in the wrong table. */
    enum Outcome {
        /** The target equals the source, row by row. */
        REPLICATED("replicated exactly"),
        /** The table keeps streaming; the values the target cannot hold are converted, each recorded in zeroetl_errors. */
        CONVERTED("converted, recorded in `zeroetl_errors`"),
        /** The table goes FAILED with a reason; the other tables go on. */
        FAILED("table FAILED with a reason, the others go on"),
        /** The table goes DROPPED; its target table is kept. */
        DROPPED("table DROPPED, target kept");

        final String readme;

        Outcome(String readme) {
            this.readme = readme;
        }
    }

    /** The table as a selection pattern would name it: each part quoted (schemas here hold no dot). */
    String quotedTable() {
        int dot = table.indexOf('.');
        return Sql.id(table.substring(0, dot)) + "." + Sql.id(table.substring(dot + 1));
    }
}
