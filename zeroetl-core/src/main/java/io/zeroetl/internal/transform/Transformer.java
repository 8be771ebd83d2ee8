package io.zeroetl.internal.transform;

import io.zeroetl.DeleteMode;
import io.zeroetl.Naming;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.spi.Transform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Applies the tables' rules and the host's transforms to the events of a batch, in order: schemas as
 * they arrive (Relation, schema changes), then every row change laid out for the target. Keeps the
 * compiled rules of each table across batches. Used from the applier thread only.
 */
public final class Transformer {
    private final Map<TableId, TableRules> rules;
    private final Naming naming;
    private final UnaryOperator<String> folding;
    private final List<Transform> transforms;
    private final Map<TableId, CompiledRules> compiled = new HashMap<>();
    /** Per table, the schema each host transform receives (index i: before transform i). */
    private final Map<TableId, List<TableSchema>> stages = new HashMap<>();

    private final Map<TableId, TableId> sources = new HashMap<>();
    private final FirstNames firstNames;
    private Instant commitTime;
    private long commitLsn;

    /**
     * Rules per source table (absent: none), the naming policy, host transforms in order, and the target's
     * {@link io.zeroetl.Target#foldName name folding}.
     */
    public Transformer(
            Map<TableId, TableRules> rules, Naming naming, List<Transform> transforms, UnaryOperator<String> folding) {
        this(rules, naming, transforms, folding, new FirstNames());
    }

    /**
     * As above; a table renamed at the source and followed takes the rules of the name {@code firstNames} knows it
     * by, unless rules name its new name.
     */
    public Transformer(
            Map<TableId, TableRules> rules,
            Naming naming,
            List<Transform> transforms,
            UnaryOperator<String> folding,
            FirstNames firstNames) {
        this.firstNames = firstNames;
        this.rules = Map.copyOf(rules);
        this.naming = naming;
        this.folding = folding;
        this.transforms = List.copyOf(transforms);
        this.rules.keySet().forEach(t -> sources.put(targetOf(t), t));
    }

    /** Whether anything is reshaped at all. */
    public boolean active() {
        return !transforms.isEmpty()
                || !naming.equals(Naming.AS_IS)
                || rules.values().stream().anyMatch(r -> !r.isIdentity());
    }

    /** The target table of source table {@code table}. */
    public TableId targetOf(TableId table) {
        return CompiledRules.targetId(table, rulesOf(table), naming);
    }

    /**
     * The rules of source table {@code table}: those naming it, else those naming the name it was first replicated
     * under (renamed at the source and followed), else none.
     */
    public TableRules rulesOf(TableId table) {
        TableRules own = rules.get(table);
        return own != null ? own : rules.getOrDefault(firstNames.of(table), TableRules.NONE);
    }

    /** Whether rules name {@code table} itself. */
    public boolean namesRules(TableId table) {
        return rules.containsKey(table);
    }

    /** The target table of source table {@code table}, its names folded as the target folds them. */
    public TableId foldedTargetOf(TableId table) {
        TableId target = targetOf(table);
        return TableId.of(folding.apply(target.schema()), folding.apply(target.table()));
    }

    /** The source table behind target table {@code target} (itself when not renamed). */
    public TableId sourceOf(TableId target) {
        return sources.getOrDefault(target, target);
    }

    /** {@code from} was renamed at the source to {@code to}, and followed: the target knows it by {@code to}'s name. */
    public void renamed(TableId from, TableId to) {
        sources.remove(targetOf(from));
        sources.put(targetOf(to), to);
    }

    /** Registers the selected tables so {@link #sourceOf} knows their target names before any event. */
    public void register(Iterable<TableId> tables) {
        tables.forEach(t -> sources.put(targetOf(t), t));
    }

    /**
     * Checks the rules of {@code schema}'s table against it (at start).
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public void check(TableSchema schema) {
        CompiledRules.compile(schema, rulesOf(schema.table()), naming, folding);
    }

    /**
     * For validation: the source columns of {@code schema} that land with their values unchanged, each with
     * its target name (renamed or left out columns accounted for; masked, hashed, converted and computed
     * ones are not in it). Null when the table's rows are reshaped (row filter, soft or history deletes).
     *
     * @throws IllegalArgumentException when the rules no longer fit the table
     */
    public Map<String, String> comparableColumns(TableSchema schema) {
        TableRules r = rulesOf(schema.table());
        if (!r.keepsRows()) {
            return null;
        }
        CompiledRules c = CompiledRules.compile(schema, r, naming, folding);
        Map<String, String> out = new LinkedHashMap<>();
        for (Column column : schema.columns()) {
            String name = c.targetName(column.name());
            boolean reshaped = r.masked().contains(column.name())
                    || r.hashed().contains(column.name())
                    || r.conversions().containsKey(column.name());
            if (name != null && !reshaped) {
                out.put(column.name(), name);
            }
        }
        return out;
    }

    /** Whether host transforms may change values (then validation cannot vouch for any table). */
    public boolean hasHostTransforms() {
        return !transforms.isEmpty();
    }

    /**
     * The events to apply for {@code event}.
     *
     * @throws TableFailedException when a table's rules cannot be applied (they name a column the table
     *     no longer has, or need a value the source did not resend)
     */
    public List<ChangeEvent> apply(ChangeEvent event) {
        if (event instanceof BeginEvent begin) {
            commitTime = begin.commitTime();
            commitLsn = begin.commitLsn().value();
            return List.of(event);
        }
        if (event instanceof RelationEvent relation) {
            return List.of(new RelationEvent(schema(relation.schema())));
        }
        if (event instanceof SchemaChangeEvent change) {
            return List.of(schemaChange(change));
        }
        if (event instanceof SnapshotEvent snapshot) {
            return List.of(new SnapshotEvent(
                    targetOf(snapshot.table()),
                    snapshot.phase(),
                    snapshot.rows(),
                    snapshot.estimatedRows(),
                    snapshot.progress()));
        }
        if (event instanceof TruncateEvent truncate) {
            return List.of(new TruncateEvent(
                    truncate.tables().stream().map(this::targetOf).toList(),
                    truncate.cascade(),
                    truncate.restartIdentity()));
        }
        if (event instanceof RowChange change) {
            return rowChange(change);
        }
        return List.of(event);
    }

    private TableSchema schema(TableSchema source) {
        TableId table = source.table();
        CompiledRules c;
        try {
            c = CompiledRules.compile(source, rulesOf(table), naming, folding);
        } catch (IllegalArgumentException e) {
            compiled.remove(table);
            throw new TableFailedException(
                    table,
                    "its rules no longer fit the table: " + e.getMessage() + "; fix the rules and resync the table");
        }
        compiled.put(table, c);
        sources.put(c.target.table(), table);
        List<TableSchema> chain = new ArrayList<>();
        TableSchema shaped = c.target;
        for (Transform t : transforms) {
            chain.add(shaped);
            shaped = t.schema(shaped);
        }
        stages.put(table, chain);
        return shaped;
    }

    private SchemaChangeEvent schemaChange(SchemaChangeEvent change) {
        if (change.kind() == SchemaChangeEvent.Kind.DROPPED) {
            // gone: no rules to fit to its (no) columns, only its target name to tell
            TableId target = targetOf(change.table());
            compiled.remove(change.table());
            stages.remove(change.table());
            return new SchemaChangeEvent(
                    target,
                    change.commandTag(),
                    change.statement(),
                    new TableSchema(target, List.of(), change.after().identity()),
                    Map.of(),
                    null,
                    null,
                    SchemaChangeEvent.Kind.DROPPED);
        }
        // a table renamed and followed: its columns had the names its old name's rules gave them
        CompiledRules before = compiled.get(change.renamedFrom() != null ? change.renamedFrom() : change.table());
        TableSchema after = schema(change.after());
        CompiledRules now = compiled.get(change.table());
        Map<String, String> renames = new LinkedHashMap<>();
        change.renamedColumns().forEach((from, to) -> {
            String oldName = before != null ? before.targetName(from) : naming.column(from);
            String newName = now.targetName(to);
            if (oldName != null && newName != null) {
                renames.put(oldName, newName);
            }
        });
        TableId from = change.renamedFrom() == null ? null : targetOf(change.renamedFrom());
        return new SchemaChangeEvent(
                after.table(),
                change.commandTag(),
                change.statement(),
                after,
                renames,
                from,
                change.recopy(),
                change.kind());
    }

    private List<ChangeEvent> rowChange(RowChange change) {
        TableId table = change.table();
        CompiledRules c = compiled.get(table);
        if (c == null) {
            throw new TableFailedException(table, "a change arrived before the table's description");
        }
        List<RowChange> shaped;
        try {
            shaped = shape(change, c);
        } catch (CompiledRules.UnchangedInput e) {
            throw new TableFailedException(
                    table,
                    "a rule reads column " + e.getMessage() + ", whose value the source"
                            + " did not resend (unchanged TOAST); set REPLICA IDENTITY FULL on the table and resync it");
        } catch (RuntimeException e) {
            if (e instanceof TableFailedException) {
                throw e;
            }
            throw new TableFailedException(table, "a rule failed on a row: " + e);
        }
        List<TableSchema> chain = stages.getOrDefault(table, List.of());
        for (int i = 0; i < transforms.size(); i++) {
            List<RowChange> next = new ArrayList<>();
            for (RowChange r : shaped) {
                next.addAll(transforms.get(i).apply(r, chain.get(i)));
            }
            shaped = next;
        }
        return List.copyOf(shaped);
    }

    private List<RowChange> shape(RowChange change, CompiledRules c) {
        TableId target = c.target.table();
        CompiledRules.Context live = new CompiledRules.Context(commitTime, commitLsn, false);
        CompiledRules.Context gone = new CompiledRules.Context(commitTime, commitLsn, true);
        if (change instanceof InsertEvent insert) {
            return c.accepts(insert.row())
                    ? List.of(new InsertEvent(target, c.map(insert.row(), live), insert.estimatedBytes()))
                    : List.of();
        }
        if (change instanceof UpdateEvent update) {
            Row oldRow = update.oldRow();
            if (c.accepts(update.newRow())) {
                return List.of(new UpdateEvent(
                        target,
                        oldRow == null ? null : c.map(oldRow, gone),
                        update.oldIsKeyOnly(),
                        c.map(update.newRow(), live),
                        update.estimatedBytes()));
            }
            // out of the filter (or never in it): whatever the target holds under the key goes
            Row key = oldRow != null ? oldRow : update.newRow();
            return List.of(delete(c, key, gone, update.estimatedBytes()));
        }
        DeleteEvent delete = (DeleteEvent) change;
        if (c.rules.deleteMode() == DeleteMode.SOFT) {
            return List.of(
                    new UpdateEvent(target, null, false, c.softDelete(delete.oldRow(), gone), delete.estimatedBytes()));
        }
        return List.of(delete(c, delete.oldRow(), gone, delete.estimatedBytes()));
    }

    /** A delete of {@code row}'s key; of the whole row when the table has no key (it is its own identity). */
    private static DeleteEvent delete(CompiledRules c, Row row, CompiledRules.Context context, int bytes) {
        boolean keyless = c.source.keyColumns().isEmpty();
        Object[] values = new Object[c.source.columns().size()];
        for (int i = 0; i < values.length; i++) {
            Object v = i < row.size() ? row.get(i) : null;
            values[i] = keyless || c.source.columns().get(i).key() ? v : null;
        }
        return new DeleteEvent(c.target.table(), c.map(Row.of(values), context), !keyless, bytes);
    }
}
