package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.CUSTOMERS;
import static io.zeroetl.fakes.Harness.ORDERS;
import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.Secret;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.Harness;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class FailureTest {
    private final Harness h = new Harness();

    @Test
    void permanentErrorAtStartIsThrownByStart() {
        h.applier.failStart(new ZeroEtlException(
                ErrorCode.AUTHENTICATION,
                "password authentication failed for user \"etl\". Check the user and password."));

        assertThatThrownBy(() -> h.pipeline().start())
                .isInstanceOf(ZeroEtlException.class)
                .satisfies(e -> assertThat(((ZeroEtlException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION))
                .hasMessageContaining("Check the user and password");
        assertThat(h.applier.isClosed()).isTrue();
    }

    @Test
    void permanentErrorWhileStreamingStopsThePipelineWithoutRetrying() {
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent) {
                throw new ZeroEtlException(
                        ErrorCode.PERMISSION,
                        "permission denied for table orders." + " Grant INSERT, DELETE on it to the configured user.");
            }
        });
        h.log.insert(ORDERS, 1);

        try (Pipeline pipeline = h.pipeline().start()) {
            assertThatThrownBy(() -> pipeline.awaitCaughtUp(Duration.ofSeconds(10)))
                    .isInstanceOf(ZeroEtlException.class)
                    .hasMessageContaining("Grant INSERT, DELETE");
            assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
            assertThat(h.reader.opened()).hasSize(1);
            assertThat(h.applier.committed()).isEqualTo(Lsn.NONE);
        }
    }

    @Test
    void aFailedTableStopsAloneWhileTheOthersContinue() {
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent insert
                    && insert.table().equals(ORDERS)
                    && insert.row().get(0).equals(2)) {
                throw new TableFailedException(ORDERS, "value 'NaN' in column amount cannot be stored");
            }
        });
        h.log.insert(ORDERS, 1);
        h.log.insert(ORDERS, 2);
        h.log.insert(CUSTOMERS, 10);
        h.log.insert(ORDERS, 3);
        h.log.insert(CUSTOMERS, 11);

        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().batchSize(1))) {
            assertThat(inserted(h.applier.events())).containsExactly("orders:1", "customers:10", "customers:11");
            assertThat(pipeline.status().table(ORDERS)).hasValueSatisfying(t -> {
                assertThat(t.state()).isEqualTo(TableState.FAILED);
                assertThat(t.failureReason()).hasValue("value 'NaN' in column amount cannot be stored");
                assertThat(t.inserts()).isEqualTo(1);
            });
            assertThat(pipeline.status().table(CUSTOMERS)).hasValueSatisfying(t -> {
                assertThat(t.state()).isEqualTo(TableState.SYNCED);
                assertThat(t.inserts()).isEqualTo(2);
            });
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
    }

    @Test
    void credentialsNeverShowInStatusMessagesOrCauses() {
        Secret password = Secret.of("hunter2-s3cret");
        h.applier.onEvent((index, event) -> {
            throw new ZeroEtlException(
                    ErrorCode.AUTHENTICATION,
                    "login failed for etl/hunter2-s3cret",
                    new SQLException("FATAL: password hunter2-s3cret rejected", "28P01"));
        });
        h.log.insert(ORDERS, 1);

        try (Pipeline pipeline = h.pipeline().start()) {
            Throwable thrown = Assertions.catchThrowable(() -> pipeline.awaitCaughtUp(Duration.ofSeconds(10)));
            assertThat(pipeline.status().toString())
                    .doesNotContain("hunter2-s3cret")
                    .contains("login failed");
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain("hunter2-s3cret");
                assertThat(t.toString()).doesNotContain("hunter2-s3cret");
            }
            assertThat(password.toString()).doesNotContain("hunter2");
            assertThat(pipeline.toString()).doesNotContain("hunter2");
        }
    }

    @Test
    void aTableDroppedAndCreatedAgainInABatchThatAnotherTablesFailureReplaysStillJoins() {
        // the batch is read again without the failed table; the CREATE TABLE, which the batch consumes
        // rather than passes on, must still make the table join (it was lost on the replay)
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent insert && insert.table().equals(CUSTOMERS)) {
                throw new TableFailedException(CUSTOMERS, "value 'NaN' in column amount cannot be stored");
            }
        });
        h.log.insert(ORDERS, 1);
        h.log.transaction(xid -> List.of(
                new SchemaChangeEvent(
                        ORDERS,
                        "DROP TABLE",
                        "DROP TABLE orders",
                        new TableSchema(ORDERS, List.of(), TableSchema.ReplicaIdentity.DEFAULT),
                        Map.of()),
                new SchemaChangeEvent(
                        ORDERS,
                        "CREATE TABLE",
                        "CREATE TABLE orders (id bigint PRIMARY KEY, note text)",
                        FakeLog.schema(ORDERS),
                        Map.of()),
                new RelationEvent(FakeLog.schema(ORDERS)),
                new InsertEvent(ORDERS, Row.of(2, "row-2"), 100),
                new RelationEvent(FakeLog.schema(CUSTOMERS)),
                new InsertEvent(CUSTOMERS, Row.of(10, "row-10"), 100)));

        // the fake reader only records copy requests: the table created again stays SNAPSHOTTING
        try (Pipeline pipeline = h.pipeline().start()) {
            Harness.await(
                    "customers failed",
                    () -> pipeline.status().table(CUSTOMERS).orElseThrow().state() == TableState.FAILED);
            // the batch's commit is visible a moment before the engine acts on what the batch saw
            Harness.await(
                    "the table created again is copied",
                    () -> h.reader.copyRequests().contains(ORDERS));
            assertThat(pipeline.status().table(ORDERS).orElseThrow().state()).isNotEqualTo(TableState.DROPPED);
        }
    }
}
