package io.zeroetl.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * What the conformance kit's tests share: the two things a target says (how to make an applier, how to read a
 * table back), tables and pipelines of their own per run, and the events the tests write. A target's test class
 * extends {@link ChangeApplierContract}, which extends this.
 */
public abstract class ContractSupport {
    /** A 32-bit integer column type, in no source's words. */
    protected static final ColumnType INT32 = ColumnType.of(ValueType.INT32);
    /** A string column type of any length, in no source's words. */
    protected static final ColumnType STRING = ColumnType.of(ValueType.STRING);
    /** A boolean column type. */
    protected static final ColumnType BOOLEAN = ColumnType.of(ValueType.BOOLEAN);
    /** A point in time (a timestamp with its offset). */
    protected static final ColumnType INSTANT = ColumnType.of(ValueType.OFFSET_DATE_TIME);

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    /** Only the kit's own classes extend this one directly. */
    ContractSupport() {}

    /**
     * A new applier of the target under test, not started; each call makes a new one, as a restart does.
     *
     * @return the applier
     */
    protected abstract ChangeApplier applier();

    /**
     * What {@code table} holds in the target under test: one list per row, the values of {@code columns} in
     * that order as text ({@code null} for NULL), in any order. Booleans may read as {@code t}/{@code f} or
     * {@code true}/{@code false}, points in time in any text form the target keeps consistently.
     *
     * @param table the table (as events name it)
     * @param columns the columns to read
     * @return the rows
     * @throws Exception when the target cannot be read
     */
    protected abstract List<List<String>> rows(TableId table, List<String> columns) throws Exception;

    /**
     * The schema the tests' tables go to; default {@code conformance}.
     *
     * @return the schema
     */
    protected String schema() {
        return "conformance";
    }

    /**
     * A table of this run: {@code schema()}.{@code name}_run, so tests never meet what earlier runs left.
     *
     * @param name the table's name in the test
     * @return the table's id
     */
    protected final TableId table(String name) {
        return TableId.of(schema(), name + "_" + run);
    }

    final String pipeline(TableId table) {
        return ("c_" + table.table()).toLowerCase(Locale.ROOT);
    }

    final ApplierContext context(TableId table) {
        return new ApplierContext(pipeline(table), Set.of(table));
    }

    /** A new applier, started for {@code table}'s pipeline, which has committed nothing yet. */
    final ChangeApplier started(TableId table) {
        ChangeApplier applier = applier();
        assertThat(applier.start(context(table)))
                .as("a new pipeline has no position")
                .isEmpty();
        return applier;
    }

    /** A new applier for {@code table}'s pipeline, started where its last batch ended (a restart). */
    final ChangeApplier restarted(TableId table) {
        ChangeApplier applier = applier();
        assertThat(applier.start(context(table))).as("a committed position").isPresent();
        return applier;
    }

    /** {@code table}'s (id, note) rows by id. */
    final List<List<String>> rows(TableId table) throws Exception {
        return sorted(table, List.of("id", "note"));
    }

    /** {@code table}'s rows of {@code columns}, the first an integer: by it, then by the others as text. */
    final List<List<String>> sorted(TableId table, List<String> columns) throws Exception {
        List<List<String>> rows = new ArrayList<>(rows(table, columns));
        Comparator<List<String>> byId = Comparator.comparing((List<String> r) -> Long.parseLong(r.get(0)));
        rows.sort(byId.thenComparing(r -> String.valueOf(r.subList(1, r.size()))));
        return rows;
    }

    /** The (id key, note) layout every simple test table has. */
    static RelationEvent relation(TableId table) {
        return new RelationEvent(layout(table, new Column("note", STRING, false, true)));
    }

    /** A keyed layout: {@code id} (the key), then {@code others}. */
    static TableSchema layout(TableId table, Column... others) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("id", INT32, true, false));
        columns.addAll(List.of(others));
        return new TableSchema(table, columns, TableSchema.ReplicaIdentity.DEFAULT);
    }

    static ChangeEvent insert(TableId table, int id, String note) {
        return new InsertEvent(table, Row.of(id, note), 50);
    }

    /** A point in time {@code seconds} after the start of 2026, UTC. */
    static OffsetDateTime at(long seconds) {
        return OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(seconds);
    }

    /** A boolean as the target wrote it, read back: {@code true}, {@code false} or null. */
    static Boolean flag(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "t", "true", "1" -> true;
            case "f", "false", "0" -> false;
            default -> throw new AssertionError("not a boolean: " + text);
        };
    }
}
