package io.zeroetl.postgres.internal.pgoutput;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Gives the changes of a partition to the partitioned table replicated as one: PostgreSQL publishes each change
 * under the partition it happened in, with that partition's column order; the row is reordered to the
 * replicated table's columns by name. Also keeps the name of every partition seen, so that a partition's drop
 * (whose catalog rows are gone when it is told) still names its table. Used from the reader thread only.
 */
public final class PartitionRoutes {
    /**
     * Where a partition's changes go.
     *
     * @param table the replicated partitioned table (its topmost selected ancestor)
     * @param columns that table's columns, in its order
     */
    public record Part(TableId table, List<String> columns) {}

    /** A partition's route: the schema its changes are told under and where each of its columns goes. */
    record Route(TableSchema schema, int[] positions) {
        Row map(Row row) {
            Object[] values = new Object[schema.columns().size()];
            for (int i = 0; i < positions.length && i < row.size(); i++) {
                values[positions[i]] = row.get(i);
            }
            return Row.of(values);
        }
    }

    private static final Route NONE = new Route(null, null);

    /**
     * What routing asks the source's catalog. The catalog is as it is now while the log being read may be older,
     * so the replicated partitioned tables are told by OID ({@code tables}): a table renamed since is still known
     * by the name the stream has for it.
     */
    public interface Catalog {
        /**
         * Where the changes of relation {@code relid} go: to the topmost of its ancestors {@code tables} names (by
         * OID), unless it is replicated itself; null when nowhere (or it no longer exists).
         */
        Part partOf(int relid, IntFunction<TableId> tables);

        /** As {@link #partOf(int, IntFunction)}, for the table now named {@code table}. */
        Part partOf(TableId table, IntFunction<TableId> tables);

        /** The OID of {@code table} when it is a partitioned table, else null. */
        Integer partitioned(TableId table);
    }

    private Catalog catalog = new Catalog() {
        @Override
        public Part partOf(int relid, IntFunction<TableId> tables) {
            return null;
        }

        @Override
        public Part partOf(TableId table, IntFunction<TableId> tables) {
            return null;
        }

        @Override
        public Integer partitioned(TableId table) {
            return null;
        }
    };
    private final Map<Integer, Route> routes = new HashMap<>();
    private final Map<TableId, TableId> partitions = new HashMap<>();
    /** Each partitioned table as the stream last described it, by the name the stream has for it. */
    private final Map<TableId, TableSchema> described = new HashMap<>();
    /** The partitioned tables the stream carries, by OID, under the names the stream has for them. */
    private final Map<Integer, TableId> tables = new HashMap<>();

    /**
     * Routes with {@code catalog} from now on; {@code replicated}: the partitioned tables the stream carries, by
     * OID; {@code known}: their partitions as the stream opens, with their table.
     */
    void use(Catalog catalog, Map<Integer, TableId> replicated, Map<TableId, TableId> known) {
        this.catalog = catalog;
        routes.clear();
        described.clear();
        tables.clear();
        tables.putAll(replicated);
        partitions.clear();
        partitions.putAll(known);
    }

    /** {@code table} joined the stream: when it is a partitioned table, its partitions' changes go to it from now on. */
    void joined(TableId table) {
        Integer oid = catalog.partitioned(table);
        if (oid != null) {
            tables.put(oid, table);
        }
        routes.clear();
    }

    /** Looks every route up again (a table joined, or DDL may have attached or detached a partition). */
    void forget() {
        routes.clear();
    }

    /** Forgets the route of {@code relid} only (described again). */
    void forget(int relid) {
        routes.remove(relid);
    }

    /** {@return the route of relation {@code relid}, described by {@code sent}; empty when it is not a partition routed} */
    Optional<Route> route(int relid, TableSchema sent) {
        Route route = routes.computeIfAbsent(relid, r -> {
            Part part = catalog.partOf(r, tables::get);
            if (part == null) {
                return NONE;
            }
            partitions.put(sent.table(), part.table());
            Route routed = route(sent, part);
            described.put(part.table(), routed.schema());
            return routed;
        });
        return route == NONE ? Optional.empty() : Optional.of(route);
    }

    /** The replicated table whose partition {@code table} is (or was, when just dropped), or null. */
    TableId tableOf(TableId table) {
        TableId known = partitions.get(table);
        if (known != null) {
            return known;
        }
        Part part = catalog.partOf(table, tables::get);
        if (part != null) {
            partitions.put(table, part.table());
            return part.table();
        }
        return null;
    }

    /** {@code from} was renamed to {@code to} (or dropped: {@code to} null). */
    void renamed(TableId from, TableId to) {
        TableId table = partitions.remove(from);
        if (table != null && to != null) {
            partitions.put(to, table);
        }
    }

    /**
     * The schema change as the replicated table sees it: a change to one of its partitions is its table's
     * concern only where rows may have gone (a partition dropped, or a change that asks for a copy), and then the
     * table is copied again; a partition created (it holds no rows yet) or renamed, or otherwise altered, is
     * not told. Null: nothing to tell.
     */
    SchemaChangeEvent told(SchemaChangeEvent change, Function<TableId, Optional<TableSchema>> describe) {
        TableId table = tableOf(change.table());
        if (table == null) {
            if (change.renamedFrom() != null) {
                // a partitioned table renamed: its partitions' changes and drops go to it by its new name
                partitions.replaceAll((partition, of) -> of.equals(change.renamedFrom()) ? change.table() : of);
                tables.replaceAll((oid, name) -> name.equals(change.renamedFrom()) ? change.table() : name);
                TableSchema last = described.remove(change.renamedFrom());
                if (last != null) {
                    described.put(change.table(), new TableSchema(change.table(), last.columns(), last.identity()));
                }
                routes.clear();
            }
            return change;
        }
        boolean dropped = change.kind() == SchemaChangeEvent.Kind.DROPPED;
        if (dropped) {
            renamed(change.table(), null);
        } else if (change.renamedFrom() != null) {
            renamed(change.renamedFrom(), change.table());
        }
        if (!dropped && change.recopy() == null) {
            return null;
        }
        // as the stream last described it (the catalog may know it by a later name), else as the catalog does
        Optional<TableSchema> whole =
                described.containsKey(table) ? Optional.of(described.get(table)) : describe.apply(table);
        if (whole.isEmpty()) {
            // the table went with it (dropped whole): its own drop says so
            return null;
        }
        return new SchemaChangeEvent(
                table,
                change.commandTag(),
                change.statement(),
                whole.get(),
                Map.of(),
                null,
                dropped
                        ? "its partition " + change.table() + " was dropped with its rows"
                        : "its partition " + change.table() + ": " + change.recopy(),
                SchemaChangeEvent.Kind.ALTERED);
    }

    /**
     * A TRUNCATE of one partition of {@code route}'s table: the table keeps its other partitions' rows, which the
     * target cannot tell apart, so it is copied again.
     */
    static SchemaChangeEvent truncated(TableId partition, Route route) {
        TableSchema whole = route.schema();
        return new SchemaChangeEvent(
                whole.table(),
                "TRUNCATE",
                "TRUNCATE " + partition.quoted(),
                whole,
                Map.of(),
                null,
                "its partition " + partition + " was truncated, and the target cannot tell that partition's rows"
                        + " from the others'",
                SchemaChangeEvent.Kind.ALTERED);
    }

    /**
     * The partition's columns in the table's order (as the catalog has it now), under the table's name. Every
     * partition of a table has the same columns at any point of the log, so they all map to one order.
     */
    private static Route route(TableSchema sent, Part part) {
        List<Column> columns = sent.columns();
        int[] positions = new int[columns.size()];
        List<Column> ordered = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (String name : part.columns()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(name)) {
                    order.add(i);
                }
            }
        }
        // a column the table has no more (the partition's description is older than the catalog: dropped or
        // renamed since) goes after them, by name: every partition of the table agrees on one order
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!order.contains(i)) {
                rest.add(i);
            }
        }
        rest.sort(Comparator.comparing(i -> columns.get(i).name()));
        order.addAll(rest);
        for (int at = 0; at < order.size(); at++) {
            positions[order.get(at)] = at;
            ordered.add(columns.get(order.get(at)));
        }
        return new Route(new TableSchema(part.table(), ordered, sent.identity()), positions);
    }
}
