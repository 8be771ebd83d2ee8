package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A transaction of the stream's own (what the health check found, tables dropped while the pipeline did not
 * stream): its events between a Begin and a Commit at the end of the last transaction delivered.
 */
final class OwnTransaction {
    private OwnTransaction() {}

    /** {@code changes} as one transaction at {@code at}. */
    static List<ChangeEvent> of(Lsn at, List<? extends ChangeEvent> changes) {
        List<ChangeEvent> out = new ArrayList<>(changes.size() + 2);
        out.add(new BeginEvent(0, at, Instant.now()));
        out.addAll(changes);
        out.add(new CommitEvent(at, at, Instant.now()));
        return out;
    }

    /** The drops of {@code tables}, as the trigger's message of a drop would tell them. */
    static List<SchemaChangeEvent> drops(Set<TableId> tables) {
        List<SchemaChangeEvent> out = new ArrayList<>();
        for (TableId table : tables) {
            out.add(new SchemaChangeEvent(
                    table,
                    "DROP TABLE",
                    "",
                    new TableSchema(table, List.of(), TableSchema.ReplicaIdentity.DEFAULT),
                    Map.of()));
        }
        return out;
    }
}
