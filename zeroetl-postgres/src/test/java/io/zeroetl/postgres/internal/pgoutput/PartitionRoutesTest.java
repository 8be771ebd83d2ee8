package io.zeroetl.postgres.internal.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A partition's changes, as PostgreSQL publishes them (under the partition, in its column order), reach the
 * partitioned table replicated as one: renamed, reordered by column name, described before the first of them;
 * a TRUNCATE of a partition asks for the table's copy instead of emptying it.
 */
class PartitionRoutesTest {
    private static final TableId EVENTS = TableId.of("public", "events");
    private static final int PARTITION = 2;
    private static final int OTHER = 3;

    /** The partitioned table's OID. */
    private static final int TABLE = 1;

    private final PgOutputDecoder decoder = new PgOutputDecoder(new PgTypes(oid -> null));
    private final List<ChangeEvent> out = new ArrayList<>();

    PartitionRoutesTest() {
        decoder.routePartitions(catalog(List.of("id", "kind")), Map.of(TABLE, EVENTS), Map.of());
    }

    /** A catalog where {@link #PARTITION} is a partition of the table {@link #TABLE}, whose columns are {@code now}. */
    private static PartitionRoutes.Catalog catalog(List<String> now) {
        return new PartitionRoutes.Catalog() {
            @Override
            public PartitionRoutes.Part partOf(int relid, IntFunction<TableId> tables) {
                TableId table = tables.apply(TABLE);
                return relid == PARTITION && table != null ? new PartitionRoutes.Part(table, now) : null;
            }

            @Override
            public PartitionRoutes.Part partOf(TableId table, IntFunction<TableId> tables) {
                return null;
            }

            @Override
            public Integer partitioned(TableId table) {
                return table.equals(EVENTS) ? TABLE : null;
            }
        };
    }

    @Test
    void aPartitionsRowsGoToItsTableInTheTablesColumnOrder() {
        decoder.decode(relation(PARTITION, "events_2025", "kind", 25, "id", 23), out::add);
        decoder.decode(insert(PARTITION, "late", "7"), out::add);
        decoder.decode(update(PARTITION, "later", "7"), out::add);

        assertThat(out).hasSize(3);
        assertThat(((RelationEvent) out.get(0)).schema().table()).isEqualTo(EVENTS);
        assertThat(((RelationEvent) out.get(0)).schema().columns())
                .extracting(Column::name)
                .containsExactly("id", "kind");
        InsertEvent insert = (InsertEvent) out.get(1);
        assertThat(insert.table()).isEqualTo(EVENTS);
        assertThat(insert.row().values()).containsExactly(7, "late");
        UpdateEvent update = (UpdateEvent) out.get(2);
        assertThat(update.table()).isEqualTo(EVENTS);
        assertThat(update.newRow().values()).containsExactly(7, "later");
    }

    @Test
    void partitionsDescribedBeforeAColumnWasDroppedOrRenamedSinceStillAgreeOnOneOrder() {
        // the log is older than the catalog: "old" is no longer a column of the table (dropped or renamed since)
        PgOutputDecoder behind = new PgOutputDecoder(new PgTypes(oid -> null));
        behind.routePartitions(
                new PartitionRoutes.Catalog() {
                    @Override
                    public PartitionRoutes.Part partOf(int relid, IntFunction<TableId> tables) {
                        return new PartitionRoutes.Part(EVENTS, List.of("id", "kind"));
                    }

                    @Override
                    public PartitionRoutes.Part partOf(TableId table, IntFunction<TableId> tables) {
                        return null;
                    }

                    @Override
                    public Integer partitioned(TableId table) {
                        return null;
                    }
                },
                Map.of(),
                Map.of());
        behind.decode(relation(PARTITION, "events_2025", "zz", 25, "id", 23, "old", 25, "kind", 25), out::add);
        behind.decode(relation(OTHER, "events_2026", "kind", 25, "old", 25, "zz", 25, "id", 23), out::add);

        assertThat(out)
                .extracting(e -> ((RelationEvent) e)
                        .schema().columns().stream().map(Column::name).toList())
                .containsExactly(List.of("id", "kind", "old", "zz"), List.of("id", "kind", "old", "zz"));
    }

    @Test
    void aTableThatIsNoPartitionIsUntouched() {
        decoder.decode(relation(OTHER, "orders", "kind", 25, "id", 23), out::add);
        decoder.decode(insert(OTHER, "x", "1"), out::add);

        assertThat(((InsertEvent) out.get(1)).table()).isEqualTo(TableId.of("public", "orders"));
        assertThat(((InsertEvent) out.get(1)).row().values()).containsExactly("x", 1);
    }

    @Test
    void aTruncateOfOnePartitionAsksForItsTablesCopyAndStillEmptiesTheOtherTables() {
        decoder.decode(relation(PARTITION, "events_2025", "kind", 25, "id", 23), out::add);
        decoder.decode(relation(OTHER, "orders", "kind", 25, "id", 23), out::add);
        out.clear();

        decoder.decode(truncate(PARTITION, OTHER), out::add);

        assertThat(out).hasSize(2);
        assertThat(((TruncateEvent) out.get(0)).tables()).containsExactly(TableId.of("public", "orders"));
        SchemaChangeEvent copy = (SchemaChangeEvent) out.get(1);
        assertThat(copy.table()).isEqualTo(EVENTS);
        assertThat(copy.recopy()).contains("public.events_2025 was truncated");
    }

    @Test
    void aPartitionedTableThatJoinsTakesItsPartitionsChangesFromThenOnDescribedFirst() {
        PgOutputDecoder decoder = new PgOutputDecoder(new PgTypes(oid -> null));
        decoder.routePartitions(catalog(List.of("id", "kind")), Map.of(), Map.of());
        decoder.decode(relation(PARTITION, "events_2025", "kind", 25, "id", 23), out::add);
        decoder.decode(insert(PARTITION, "before", "1"), out::add);
        assertThat(((InsertEvent) out.get(1)).table()).isEqualTo(TableId.of("public", "events_2025"));
        out.clear();

        decoder.joined(EVENTS);
        decoder.decode(insert(PARTITION, "after", "2"), out::add);

        assertThat(out).hasSize(2);
        assertThat(((RelationEvent) out.get(0)).schema().table()).isEqualTo(EVENTS);
        assertThat(((InsertEvent) out.get(1)).table()).isEqualTo(EVENTS);
        assertThat(((InsertEvent) out.get(1)).row().values()).containsExactly(2, "after");
    }

    /** A Relation message: {@code columns} are name, type OID pairs; "id" is the key. */
    private static ByteBuffer relation(int relid, String name, Object... columns) {
        Bytes b = new Bytes()
                .put('R')
                .int32(relid)
                .string("public")
                .string(name)
                .put('d')
                .int16(columns.length / 2);
        for (int i = 0; i < columns.length; i += 2) {
            b.put(columns[i].equals("id") ? 1 : 0)
                    .string((String) columns[i])
                    .int32((Integer) columns[i + 1])
                    .int32(-1);
        }
        return b.buffer();
    }

    private static ByteBuffer insert(int relid, String... values) {
        return tuple(new Bytes().put('I').int32(relid).put('N'), values).buffer();
    }

    private static ByteBuffer update(int relid, String... values) {
        return tuple(new Bytes().put('U').int32(relid).put('N'), values).buffer();
    }

    private static ByteBuffer truncate(int... relids) {
        Bytes b = new Bytes().put('T').int32(relids.length).put(0);
        for (int relid : relids) {
            b.int32(relid);
        }
        return b.buffer();
    }

    private static Bytes tuple(Bytes b, String... values) {
        b.int16(values.length);
        for (String v : values) {
            byte[] text = v.getBytes(StandardCharsets.UTF_8);
            b.put('t').int32(text.length).bytes(text);
        }
        return b;
    }

    /** A pgoutput message being written. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes put(int b) {
            out.write(b);
            return this;
        }

        Bytes int16(int v) {
            return put(v >>> 8).put(v);
        }

        Bytes int32(int v) {
            return put(v >>> 24).put(v >>> 16).put(v >>> 8).put(v);
        }

        Bytes string(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8)).put(0);
        }

        Bytes bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(out.toByteArray());
        }
    }
}
