package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableFailedException;
import io.zeroetl.change.Column;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.spi.UnstorableValueException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns row changes into staged row versions ({@link StagedOp}) with their values rendered for Redshift:
 * values the target cannot hold go to the table's value policy ({@link ValueFailures}); a value too large for
 * what the staging loader can carry is such a value too.
 */
final class RowStager {
    private final ValueFailures failures;
    private final StagingLoader loader;
    private final Map<TargetTable, List<StagingLoader.Column>> columns = new IdentityHashMap<>();
    private long seq;

    RowStager(ValueFailures failures, StagingLoader loader) {
        this.failures = failures;
        this.loader = loader;
    }

    /** Stages {@code change} of the table staged in {@code staging}, from the transaction at {@code lsn}. */
    void stage(Staging staging, RowChange change, Lsn lsn) throws SQLException {
        TargetTable table = staging.table();
        if (table.mode == TargetTable.Mode.MULTISET) {
            stageMultiset(staging, change, lsn);
            return;
        }
        if (change instanceof InsertEvent insert) {
            stageRow(staging, StagedOp.UPSERT, insert.row(), List.of(), lsn);
        } else if (change instanceof UpdateEvent update) {
            if (update.oldRow() != null && !sameKey(table, update.oldRow(), update.newRow())) {
                // a key move: the old key's row goes (M, carrying the values the new row did not resend)
                // and the new key's row (V) takes those values from it
                List<Integer> carried = unchangedOf(table, update.newRow());
                stageRow(
                        staging,
                        carried.isEmpty() ? StagedOp.DELETE : StagedOp.MOVE_OUT,
                        update.oldRow(),
                        carried,
                        lsn);
                stageRow(
                        staging,
                        carried.isEmpty() ? StagedOp.UPSERT : StagedOp.MOVE_IN,
                        update.newRow(),
                        List.of(),
                        lsn);
            } else {
                stageRow(staging, StagedOp.UPSERT, update.newRow(), List.of(), lsn);
            }
        } else if (change instanceof DeleteEvent delete) {
            stageRow(staging, StagedOp.DELETE, delete.oldRow(), List.of(), lsn);
        }
    }

    /** A keyless table's change: copies removed (the whole old row) and added (the whole new row). */
    private void stageMultiset(Staging staging, RowChange change, Lsn lsn) throws SQLException {
        TargetTable table = staging.table();
        Row removed =
                change instanceof UpdateEvent u ? u.oldRow() : change instanceof DeleteEvent d ? d.oldRow() : null;
        Row added = change instanceof UpdateEvent u ? u.newRow() : change instanceof InsertEvent i ? i.row() : null;
        boolean oldWhole = change instanceof UpdateEvent u
                ? !u.oldIsKeyOnly()
                : !(change instanceof DeleteEvent d) || !d.oldIsKeyOnly();
        if (change instanceof UpdateEvent && removed == null
                || !oldWhole
                || removed != null && removed.hasUnchanged()
                || added != null && added.hasUnchanged()) {
            throw new TableFailedException(
                    table.source,
                    "the table has no key and the source did not send whole"
                            + " rows for an update or delete; ALTER TABLE " + table.source.quoted()
                            + " REPLICA IDENTITY FULL"
                            + " (or add a primary key), then resync the table");
        }
        if (removed != null) {
            stageRow(staging, StagedOp.REMOVE, removed, List.of(), lsn);
        }
        if (added != null) {
            stageRow(staging, StagedOp.ADD, added, List.of(), lsn);
        }
    }

    private static boolean sameKey(TargetTable table, Row a, Row b) {
        for (TargetTable.TargetColumn column : table.columns) {
            if (column.key() && !Objects.deepEquals(a.get(column.sourceIndex()), b.get(column.sourceIndex()))) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> unchangedOf(TargetTable table, Row row) {
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < table.columns.size(); i++) {
            int source = table.columns.get(i).sourceIndex();
            if (source < row.size() && row.get(source) == Row.UNCHANGED) {
                unchanged.add(i);
            }
        }
        return unchanged;
    }

    /** Stages one version; {@code carried} marks columns to fill as unchanged though the row has no value. */
    private void stageRow(Staging staging, StagedOp op, Row row, List<Integer> carried, Lsn lsn) throws SQLException {
        TargetTable table = staging.table();
        String[] values = new String[table.columns.size()];
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            TargetTable.TargetColumn column = table.columns.get(i);
            Object value = column.sourceIndex() < row.size() ? row.get(column.sourceIndex()) : null;
            if (value == Row.UNCHANGED || carried.contains(i)) {
                unchanged.add(i);
            } else if (op.lands()
                    || column.key()
                    || op == StagedOp.REMOVE
                    || column.role() == Column.Role.HISTORY_START) {
                values[i] = render(table, column, value, row, lsn);
            }
        }
        fit(table, values, row, lsn);
        staging.add(++seq, op, values, unchanged);
    }

    /** The target values of a whole row (a copied row going straight into its table), through the value policy. */
    String[] values(TargetTable table, Row row, Lsn lsn) {
        String[] values = new String[table.columns.size()];
        for (int i = 0; i < values.length; i++) {
            TargetTable.TargetColumn column = table.columns.get(i);
            values[i] = render(
                    table, column, column.sourceIndex() < row.size() ? row.get(column.sourceIndex()) : null, row, lsn);
        }
        fit(table, values, row, lsn);
        return values;
    }

    /**
     * What the loader cannot carry of the row — a value over a limit of Redshift's (a bound VARCHAR's 65,535
     * bytes, COPY's 4 MB rows) — goes to the table's value policy here, before anything is sent.
     */
    private void fit(TargetTable table, String[] values, Row row, Lsn lsn) {
        List<StagingLoader.Column> types = columns.computeIfAbsent(
                table,
                t -> t.columns.stream()
                        .map(c -> new StagingLoader.Column(Sql.id(c.name()), c.type()))
                        .toList());
        for (StagingLoader.Refusal refused = loader.refused(types, values);
                refused != null;
                refused = loader.refused(types, values)) {
            int i = refused.column();
            TargetTable.TargetColumn column = table.columns.get(i);
            Object value = column.sourceIndex() < row.size() ? row.get(column.sourceIndex()) : null;
            String before = values[i];
            values[i] = policy(table, column, value, row, lsn, new UnstorableValueException(refused.reason()));
            if (values[i] != null && values[i].equals(before)) {
                // the policy kept it whole (nothing to cut it to): NULL is what the loader can carry
                values[i] = null;
            }
        }
    }

    private String render(TargetTable table, TargetTable.TargetColumn column, Object value, Row row, Lsn lsn) {
        try {
            Object converted = column.mapping().convert(value);
            return converted == null ? null : converted.toString();
        } catch (UnstorableValueException e) {
            return policy(table, column, value, row, lsn, e);
        }
    }

    /** A value the target cannot hold: the table's value policy decides (a key's, or a keyless table's, fails it). */
    private String policy(
            TargetTable table,
            TargetTable.TargetColumn column,
            Object value,
            Row row,
            Lsn lsn,
            UnstorableValueException e) {
        if (column.key() || table.mode == TargetTable.Mode.MULTISET) {
            throw new UnstorableValueException((column.key() ? "key column " : "column ") + column.name() + ": "
                    + e.getMessage()
                    + (column.key()
                            ? ""
                            : " (a keyless table's rows are its identity, so no" + " value of it can be converted)"));
        }
        return failures.handle(table.source, key(table, row), column.name(), value, e, lsn);
    }

    private static String key(TargetTable table, Row row) {
        StringBuilder key = new StringBuilder();
        for (TargetTable.TargetColumn column : table.columns) {
            if (column.key()) {
                key.append(key.length() == 0 ? "" : ", ")
                        .append(column.name())
                        .append('=')
                        .append(row.get(column.sourceIndex()));
            }
        }
        return key.toString();
    }
}
