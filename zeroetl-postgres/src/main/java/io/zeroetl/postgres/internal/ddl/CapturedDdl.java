package io.zeroetl.postgres.internal.ddl;

import java.util.List;

/**
 * What the DDL trigger reported of one command on one table: the command, its text, the table's columns as
 * the trigger last recorded them and as they are now, whether the command rewrote the table, and what the
 * trigger itself found (a column added with a default, the table taken out of a publication).
 *
 * @param tag the command tag, e.g. {@code ALTER TABLE}
 * @param statement the text the session ran ({@code current_query()}): the command, or a function call, a
 *     {@code DO} block or several statements holding it
 * @param before the columns before the command as last recorded; null when the trigger had no record
 * @param after the published columns after the command
 * @param rewrite the table-rewrite reason bits of this command (1 persistence, 2 a default, 4 a column's type or
 *     expression, 8 the access method), 0 when it did not rewrite the table
 * @param found why the trigger itself says the table must be copied again, or null
 */
record CapturedDdl(
        String tag,
        String statement,
        List<CapturedColumn> before,
        List<CapturedColumn> after,
        int rewrite,
        String found) {
    CapturedDdl {
        before = before == null ? null : List.copyOf(before);
        after = List.copyOf(after);
    }

    /** A column as the trigger saw it. */
    record CapturedColumn(int attnum, String name, int type, int typmod, boolean published) {}

    /** The column numbered {@code attnum} in {@code columns}, or null. */
    static CapturedColumn find(List<CapturedColumn> columns, int attnum) {
        for (CapturedColumn c : columns) {
            if (c.attnum() == attnum) {
                return c;
            }
        }
        return null;
    }
}
