package io.zeroetl.postgres.internal.pgoutput;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.MessageEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UnreadableValue;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.postgres.internal.ddl.DdlMessages;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.postgres.internal.types.Utf8Text;
import io.zeroetl.postgres.internal.types.ValueDecoder;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes pgoutput messages: Begin, Commit, Origin, Relation, Type, Insert, Update (with old key or old
 * row), Delete, Truncate and logical Message; and with protocol version 2, Stream Start/Stop/Commit/Abort:
 * the chunks of a large in-progress transaction are kept (spilled to disk past 1 MB) and replayed as one
 * ordinary transaction at its Stream Commit; a Stream Abort drops the transaction or subtransaction. Tuple values arrive as text
 * and are decoded by {@link PgTypes}; an unchanged TOAST value becomes {@link Row#UNCHANGED}. Used from
 * the reader thread only.
 */
public final class PgOutputDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(PgOutputDecoder.class);
    /** The prefix of the heartbeat messages the reader writes; they carry nothing to apply. */
    public static final String HEARTBEAT_PREFIX = "zeroetl_heartbeat";

    private final PgTypes types;
    private final IntFunction<Set<String>> primaryKeys;
    private final Function<TableId, Optional<TableSchema>> describe;
    private final SignedDdl signed;
    private final Map<Integer, Relation> relations = new HashMap<>();
    private final PartitionRoutes partitions = new PartitionRoutes();
    /** Relations whose description (as routed) went out since their routes were last looked up. */
    private final Set<Integer> announced = new HashSet<>();

    private final StreamedTransactions streamed = new StreamedTransactions();

    /**
     * A decoder resolving non-built-in types with {@code types}, for tables without REPLICA IDENTITY FULL,
     * that trusts no DDL message.
     */
    public PgOutputDecoder(PgTypes types) {
        this(types, relid -> Set.of(), () -> null, table -> Optional.empty(), () -> null, new AtomicLong());
    }

    /**
     * A decoder for one stream, resolving non-built-in types with {@code types}. For a REPLICA IDENTITY FULL
     * table pgoutput flags every column as part of the identity; {@code primaryKeys} gives the table's primary key
     * columns (by relation OID; empty when it has none), which then are its key — a table without one is keyless.
     * DDL messages are trusted only when signed with {@code ddlKey} (null: none is readable); {@code describe}
     * gives a table's current columns when the trigger reports it could not capture a change; {@code publication}
     * names the publication the stream reads, so a change to another publication asks nothing of this pipeline;
     * {@code rejected} counts the refused messages of every stream of the source. Each stream decodes with a
     * decoder of its own (its relations, its publication).
     */
    public PgOutputDecoder(
            PgTypes types,
            IntFunction<Set<String>> primaryKeys,
            Supplier<DdlMessages.Key> ddlKey,
            Function<TableId, Optional<TableSchema>> describe,
            Supplier<String> publication,
            AtomicLong rejected) {
        this.types = types;
        this.primaryKeys = primaryKeys;
        this.describe = describe;
        this.signed = new SignedDdl(types, ddlKey, describe, publication, rejected);
    }

    /** {@return how many messages claimed to be zeroetl's own and failed its check (forged or damaged)} */
    public long rejectedMessages() {
        return signed.rejected();
    }

    /** A relation as last described, with each column's value decoder. */
    private record Relation(int relid, TableSchema schema, ValueDecoder[] decoders) {}

    /** Forgets what one stream said (relations, transactions streamed in progress): called as a new one opens. */
    public void reset() {
        relations.clear();
        announced.clear();
        partitions.forget();
        streamed.reset();
    }

    /**
     * Routes partitions' changes to the partitioned tables replicated as one, asking {@code catalog};
     * {@code replicated}: those tables by OID, {@code known}: their partitions as the stream opens.
     */
    public void routePartitions(
            PartitionRoutes.Catalog catalog, Map<Integer, TableId> replicated, Map<TableId, TableId> known) {
        partitions.use(catalog, replicated, known);
        announced.clear();
    }

    /** {@code table} joined the stream: a partitioned table takes its partitions' changes from now on. */
    public void joined(TableId table) {
        partitions.joined(table);
        announced.clear();
    }

    /** Looks partitions' routes up again: a table joined the stream. */
    public void reroutePartitions() {
        partitions.forget();
        announced.clear();
    }

    /**
     * {@return whether a streamed transaction's changes are being handed on} While true, {@link #replayNext}
     * must be called until it is false, before the next message is decoded.
     */
    public boolean replaying() {
        return streamed.replaying();
    }

    /**
     * Hands on the next kept change of the streamed transaction being replayed (the events of one message), or
     * its Commit at the end.
     *
     * @param out receives the events
     */
    public void replayNext(Consumer<ChangeEvent> out) {
        streamed.replayNext(change -> decodeOne(change, out), out);
    }

    /** {@return whether the last message opened a streamed transaction's segment that has not ended} */
    public boolean inStreamSegment() {
        return streamed.inSegment();
    }

    /**
     * Decodes one pgoutput message into zero or more events, handed to {@code out} in order.
     *
     * @param b the message's bytes, from its position to its limit
     * @param out receives the events
     */
    public void decode(ByteBuffer b, Consumer<ChangeEvent> out) {
        if (!streamed.take(b, out)) {
            decodeOne(b, out);
        }
    }

    private void decodeOne(ByteBuffer b, Consumer<ChangeEvent> out) {
        int size = b.remaining();
        byte type = b.get();
        switch (type) {
            case 'B': {
                long finalLsn = b.getLong();
                Instant time = Wire.timestamp(b.getLong());
                long xid = Integer.toUnsignedLong(b.getInt());
                out.accept(new BeginEvent(xid, Lsn.of(finalLsn), time));
                break;
            }
            case 'C': {
                b.get();
                long commitLsn = b.getLong();
                long endLsn = b.getLong();
                out.accept(new CommitEvent(Lsn.of(commitLsn), Lsn.of(endLsn), Wire.timestamp(b.getLong())));
                break;
            }
            case 'R': {
                Relation r = relation(b);
                partitions.forget(r.relid());
                announced.add(r.relid());
                out.accept(new RelationEvent(partitions
                        .route(r.relid(), r.schema())
                        .map(PartitionRoutes.Route::schema)
                        .orElse(r.schema())));
                break;
            }
            case 'I': {
                Relation r = relationOf(b.getInt());
                Wire.expect(b, 'N');
                Optional<PartitionRoutes.Route> route = routed(r, out);
                out.accept(new InsertEvent(table(r, route), mapped(route, tuple(b, r)), size));
                break;
            }
            case 'U': {
                Relation r = relationOf(b.getInt());
                byte kind = b.get();
                Row old = null;
                boolean keyOnly = false;
                if (kind == 'K' || kind == 'O') {
                    keyOnly = kind == 'K';
                    old = tuple(b, r);
                    kind = b.get();
                }
                if (kind != 'N') {
                    throw Wire.malformed("update without new tuple");
                }
                Row newRow = tuple(b, r);
                if (old != null && !keyOnly && newRow.hasUnchanged()) {
                    // REPLICA IDENTITY FULL: the old row carries every value, unchanged TOAST ones included
                    newRow = filled(newRow, old);
                }
                Optional<PartitionRoutes.Route> route = routed(r, out);
                out.accept(new UpdateEvent(
                        table(r, route),
                        old == null ? null : mapped(route, old),
                        keyOnly,
                        mapped(route, newRow),
                        size));
                break;
            }
            case 'D': {
                Relation r = relationOf(b.getInt());
                byte kind = b.get();
                Optional<PartitionRoutes.Route> route = routed(r, out);
                out.accept(new DeleteEvent(table(r, route), mapped(route, tuple(b, r)), kind == 'K', size));
                break;
            }
            case 'T': {
                int count = b.getInt();
                byte options = b.get();
                List<TableId> tables = new ArrayList<>(count);
                Map<TableId, SchemaChangeEvent> partitionsTruncated = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    Relation r = relationOf(b.getInt());
                    Optional<PartitionRoutes.Route> route = partitions.route(r.relid(), r.schema());
                    if (route.isPresent()) {
                        partitionsTruncated.putIfAbsent(
                                route.get().schema().table(),
                                PartitionRoutes.truncated(r.schema().table(), route.get()));
                    } else {
                        tables.add(r.schema().table());
                    }
                }
                if (!tables.isEmpty()) {
                    out.accept(new TruncateEvent(tables, (options & 1) != 0, (options & 2) != 0));
                }
                partitionsTruncated.values().forEach(out);
                break;
            }
            case 'M': {
                boolean transactional = (b.get() & 1) != 0;
                long lsn = b.getLong();
                String prefix = Wire.cstring(b);
                byte[] content = new byte[b.getInt()];
                b.get(content);
                if (prefix.equals(HEARTBEAT_PREFIX)) {
                    break;
                } else if (prefix.equals(DdlMessages.PREFIX)) {
                    SchemaChangeEvent change = signed.read(content, transactional, lsn);
                    if (change != null) {
                        // what a DDL statement did may have attached or detached a partition
                        partitions.forget();
                        announced.clear();
                        SchemaChangeEvent told = partitions.told(change, describe);
                        if (told != null) {
                            out.accept(told);
                        }
                    }
                } else {
                    out.accept(new MessageEvent(Lsn.of(lsn), transactional, prefix, content));
                }
                break;
            }
            case 'O':
            case 'Y':
                break;
            default:
                throw Wire.malformed("unknown message type '" + (char) type + "'");
        }
    }

    private Relation relation(ByteBuffer b) {
        int relid = b.getInt();
        String schema = Wire.cstring(b);
        String name = Wire.cstring(b);
        TableSchema.ReplicaIdentity identity = switch (b.get()) {
            case 'f' -> TableSchema.ReplicaIdentity.FULL;
            case 'i' -> TableSchema.ReplicaIdentity.INDEX;
            case 'n' -> TableSchema.ReplicaIdentity.NOTHING;
            default -> TableSchema.ReplicaIdentity.DEFAULT;
        };
        int count = b.getShort();
        List<Column> columns = new ArrayList<>(count);
        ValueDecoder[] decoders = new ValueDecoder[count];
        Set<String> primaryKey = identity == TableSchema.ReplicaIdentity.FULL ? primaryKeys.apply(relid) : null;
        for (int i = 0; i < count; i++) {
            boolean flagged = (b.get() & 1) != 0;
            String column = Wire.cstring(b);
            boolean key = primaryKey == null ? flagged : primaryKey.contains(column);
            int oid = b.getInt();
            int modifier = b.getInt();
            PgTypes.Info info = types.info(oid);
            columns.add(new Column(column, info.columnType(oid, modifier), key, true));
            decoders[i] = info.decoder();
        }
        Relation relation = new Relation(relid, new TableSchema(TableId.of(schema, name), columns, identity), decoders);
        relations.put(relid, relation);
        return relation;
    }

    private static Row filled(Row row, Row from) {
        Object[] values = row.values().toArray();
        for (int i = 0; i < values.length && i < from.size(); i++) {
            if (values[i] == Row.UNCHANGED) {
                values[i] = from.get(i);
            }
        }
        return Row.of(values);
    }

    /**
     * {@code r}'s route when it is a partition of a table replicated as one; when that route was just looked up,
     * the table's description (as the partition has it) goes out first.
     */
    private Optional<PartitionRoutes.Route> routed(Relation r, Consumer<ChangeEvent> out) {
        Optional<PartitionRoutes.Route> route = partitions.route(r.relid(), r.schema());
        if (route.isPresent() && announced.add(r.relid())) {
            out.accept(new RelationEvent(route.get().schema()));
        }
        return route;
    }

    private static TableId table(Relation r, Optional<PartitionRoutes.Route> route) {
        return route.map(x -> x.schema().table()).orElse(r.schema().table());
    }

    private static Row mapped(Optional<PartitionRoutes.Route> route, Row row) {
        return route.map(x -> x.map(row)).orElse(row);
    }

    private Relation relationOf(int relid) {
        Relation r = relations.get(relid);
        if (r == null) {
            throw Wire.malformed("change for relation " + relid + " before its Relation message");
        }
        return r;
    }

    private static Row tuple(ByteBuffer b, Relation r) {
        int count = b.getShort();
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            switch (kind) {
                case 'n':
                    values[i] = null;
                    break;
                case 'u':
                    values[i] = Row.UNCHANGED;
                    break;
                case 't': {
                    int length = b.getInt();
                    int at = b.arrayOffset() + b.position();
                    String text = Utf8Text.decode(b.array(), at, length);
                    values[i] = Utf8Text.malformed(text, b.array(), at, length)
                            ? new UnreadableValue(
                                    text,
                                    Utf8Text.reason(r.schema().columns().get(i).name()))
                            : decodeValue(r, i, text);
                    b.position(b.position() + length);
                    break;
                }
                default:
                    throw Wire.malformed("unknown tuple value kind '" + (char) kind + "'");
            }
        }
        return Row.of(values);
    }

    /** A value that does not decode stays in the row as an {@link UnreadableValue}: the target's value policy decides. */
    private static Object decodeValue(Relation r, int column, String text) {
        try {
            return r.decoders()[column].decode(text);
        } catch (RuntimeException e) {
            Column c = r.schema().columns().get(column);
            return new UnreadableValue(
                    text, "column " + c.name() + " (" + c.type().name() + ") did not decode: " + e.getMessage());
        }
    }
}
