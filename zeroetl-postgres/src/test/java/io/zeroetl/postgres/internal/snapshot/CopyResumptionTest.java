package io.zeroetl.postgres.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.spi.StreamItem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a stream resuming copies hands on, what it notes, and how far it lets the slot be acknowledged. */
class CopyResumptionTest {
    private static final TableId ORDERS = TableId.of("public", "orders");
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final Lsn POINT = Lsn.of(0x5000);
    private static final TableSchema SCHEMA = new TableSchema(
            ORDERS,
            List.of(
                    new Column("id", ColumnType.of(ValueType.INT32), true, false),
                    new Column("note", ColumnType.of(ValueType.STRING), false, true)),
            TableSchema.ReplicaIdentity.DEFAULT);
    private static final String RECORDED = new CopyCheckpoint(POINT, 16384, 8, 3, 1200, "abc").encode();

    @Test
    void aRecordReadsBackAsWritten() {
        CopyCheckpoint checkpoint = new CopyCheckpoint(Lsn.of(0x1_0000_0042L), 99, 16384, 7, 123_456, "1f2e");
        assertThat(CopyCheckpoint.parse(checkpoint.encode())).contains(checkpoint);
        assertThat(checkpoint.after(2, 200_000).chunksDone()).isEqualTo(9);
        assertThat(checkpoint.at(Lsn.of(0x9999)).point()).isEqualTo(Lsn.of(0x9999));
    }

    @Test
    void aRecordNotThisVersionsIsRefused() {
        assertThat(CopyCheckpoint.parse(null)).isEmpty();
        assertThat(CopyCheckpoint.parse("")).isEmpty();
        assertThat(CopyCheckpoint.parse("pg2 point=0/1 node=1 chunk=8 done=1 rows=1 layout=a"))
                .isEmpty();
        assertThat(CopyCheckpoint.parse("pg1 point=0/1 node=1 chunk=0 done=1 rows=1 layout=a"))
                .isEmpty();
        assertThat(CopyCheckpoint.parse("pg1 point=nowhere node=1 chunk=8 done=1 rows=1 layout=a"))
                .isEmpty();
        assertThat(CopyCheckpoint.parse("pg1 point=0/1 node=1 chunk=8 rows=1 layout=a"))
                .isEmpty();
        assertThat(CopyCheckpoint.parse("pg1 point=0/1 node=1 chunk=8 done=1 rows=1"))
                .isEmpty();
    }

    @Test
    void aChangeCommittedBeforeTheRecordedPointIsDroppedWithoutCountingAsAChange() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        assertThat(resumption.filter(item(begin(0x4800))))
                .extracting(StreamItem::event)
                .isNotNull();
        assertThat(resumption.filter(item(insert(ORDERS))).isProgress()).isTrue();
        assertThat(resumption.changedSince(ORDERS)).isFalse();
    }

    @Test
    void theKeysOfRowsChangedAtOrAfterTheRecordedPointAreKeptBeforeAndAfter() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        resumption.filter(item(new RelationEvent(SCHEMA)));
        resumption.filter(item(begin(0x5000)));
        assertThat(resumption
                        .filter(item(new InsertEvent(ORDERS, Row.of(1, "a"), 16)))
                        .isProgress())
                .isTrue();
        resumption.filter(item(new UpdateEvent(ORDERS, Row.of(2, null), true, Row.of(3, "c"), 16)));
        resumption.filter(item(new UpdateEvent(ORDERS, null, false, Row.of(4, Row.UNCHANGED), 16)));
        resumption.filter(item(new DeleteEvent(ORDERS, Row.of(5, null), true, 16)));
        assertThat(resumption.changedSince(ORDERS)).isFalse();
        assertThat(resumption.changedKeys(ORDERS))
                .containsExactlyInAnyOrder(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5));
    }

    @Test
    void aChangedRowWhoseKeyCannotBeToldOrTooManyMakeTheTableCopyWhole() {
        CopyResumption unknown = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        unknown.filter(item(begin(0x5000)));
        unknown.filter(item(insert(ORDERS)));
        assertThat(unknown.changedSince(ORDERS)).as("no description, so no key").isTrue();

        CopyResumption many = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000), 2);
        many.filter(item(new RelationEvent(SCHEMA)));
        many.filter(item(begin(0x5000)));
        many.filter(item(new InsertEvent(ORDERS, Row.of(1, "a"), 16)));
        many.filter(item(new InsertEvent(ORDERS, Row.of(2, "b"), 16)));
        assertThat(many.changedSince(ORDERS)).isFalse();
        many.filter(item(new InsertEvent(ORDERS, Row.of(3, "c"), 16)));
        assertThat(many.changedSince(ORDERS)).isTrue();
        assertThat(many.changedKeys(ORDERS)).isEmpty();
    }

    @Test
    void otherTablesPassAndATruncateIsNarrowedToThem() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        resumption.filter(item(begin(0x6000)));
        ChangeEvent other = insert(ITEMS);
        assertThat(resumption.filter(item(other)).event()).isSameAs(other);
        StreamItem truncate = resumption.filter(item(new TruncateEvent(List.of(ORDERS, ITEMS), false, false)));
        assertThat(truncate.event()).isEqualTo(new TruncateEvent(List.of(ITEMS), false, false));
        assertThat(resumption.changedSince(ORDERS)).isTrue();
    }

    @Test
    void onceItsCopyIsServedATablesChangesPassAgain() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        resumption.filter(item(new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 1200, -1, RECORDED)));
        resumption.filter(item(begin(0x9000)));
        ChangeEvent later = insert(ORDERS);
        assertThat(resumption.filter(item(later)).event()).isSameAs(later);
        assertThat(resumption.changedSince(ORDERS)).isFalse();
    }

    @Test
    void aRecordOlderThanWhereTheSlotStandsOrUnreadableCountsAsChanged() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED, ITEMS, "not ours"), Lsn.of(0x5001));
        assertThat(resumption.changedSince(ORDERS)).isTrue();
        assertThat(resumption.changedSince(ITEMS)).isTrue();
        assertThat(resumption.start(Lsn.of(0x7000))).isEqualTo(Lsn.of(0x7000));
    }

    @Test
    void theStreamStartsAtTheRecordedPointAndTheSlotStaysThereUntilTheResumedCopyIsPast() {
        CopyResumption resumption = new CopyResumption(Map.of(ORDERS, RECORDED), Lsn.of(0x4000));
        assertThat(resumption.start(Lsn.of(0x7000))).isEqualTo(POINT);
        assertThat(resumption.start(Lsn.of(0x4000))).isEqualTo(Lsn.of(0x4000));
        assertThat(resumption.acknowledgeable(Lsn.of(0x7000))).isEqualTo(POINT);
        assertThat(resumption.acknowledgeable(Lsn.of(0x4500))).isEqualTo(Lsn.of(0x4500));
        resumption.copyAt(Lsn.of(0x8000));
        assertThat(resumption.acknowledgeable(Lsn.of(0x8000))).isEqualTo(POINT);
        assertThat(resumption.acknowledgeable(Lsn.of(0x8001))).isEqualTo(Lsn.of(0x8001));
    }

    private static StreamItem item(ChangeEvent event) {
        return StreamItem.of(Lsn.of(1), Lsn.of(1), event);
    }

    private static BeginEvent begin(long commitLsn) {
        return new BeginEvent(1, Lsn.of(commitLsn), Instant.EPOCH);
    }

    private static InsertEvent insert(TableId table) {
        return new InsertEvent(table, Row.of(1), 16);
    }
}
