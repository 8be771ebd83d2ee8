package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.testing.EmbeddedPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The source says what to change when it cannot replicate. */
class PrerequisitesIT {
    @Test
    void walLevelBelowLogicalIsRefusedNamingTheSetting() {
        try (EmbeddedPostgres replica =
                EmbeddedPostgres.builder().serverSetting("wal_level", "replica").start()) {
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(replica.jdbcUrl())
                    .user(replica.user())
                    .password(replica.password())
                    .build();

            assertThatThrownBy(() -> ZeroEtl.from(source)
                            .to(FakeApplier::new)
                            .tables("public.orders")
                            .start())
                    .isInstanceOfSatisfying(
                            ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_PREREQUISITE))
                    .hasMessageContaining("wal_level = logical")
                    .hasMessageContaining("rds.logical_replication");
        }
    }

    @Test
    void missingTableIsAConfigurationErrorNamingIt() {
        try (SourceFixture f = new SourceFixture()) {
            assertThatThrownBy(() -> ZeroEtl.from(f.source())
                            .to(FakeApplier::new)
                            .tables("public.nope")
                            .start())
                    .isInstanceOfSatisfying(
                            ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("public.nope");
        }
    }

    @Test
    void userWithoutReplicationPrivilegeIsToldWhatToGrant() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            String role = "no_repl_" + f.db.substring(f.db.length() - 6);
            f.sql(
                    "CREATE TABLE orders (id INT PRIMARY KEY)",
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'pw-no-repl'",
                    "GRANT SELECT ON orders TO " + role);
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(f.pg.jdbcUrl(f.db))
                    .user(role)
                    .password("pw-no-repl")
                    .build();
            try {
                assertThatThrownBy(() -> ZeroEtl.from(source)
                                .to(FakeApplier::new)
                                .tables("public.orders")
                                .start())
                        .isInstanceOfSatisfying(
                                ZeroEtlException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION))
                        .hasMessageContaining("WITH REPLICATION")
                        .hasMessageContaining("rds_replication")
                        .hasMessageNotContaining("pw-no-repl");
            } finally {
                f.sql("DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void tableWithoutKeyIsLeftOutOfThePublicationSoSourceWritesKeepWorking() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql(
                    "CREATE TABLE orders (id INT PRIMARY KEY)",
                    "CREATE TABLE nokey (v INT)",
                    "CREATE TABLE fullid (v INT)",
                    "ALTER TABLE fullid REPLICA IDENTITY FULL");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(FakeApplier::new)
                    .tables("public.orders", "public.nokey", "public.fullid")
                    .pipelineId("keys")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                f.sql("INSERT INTO nokey VALUES (1)", "UPDATE nokey SET v = 2", "DELETE FROM nokey");
                assertThat(pipeline.status().table(TableId.of("public", "nokey")))
                        .hasValueSatisfying(t -> {
                            assertThat(t.state()).isEqualTo(TableState.FAILED);
                            assertThat(t.reason()).contains("no primary key").contains("REPLICA IDENTITY FULL");
                        });
                assertThat(pipeline.status()
                                .table(TableId.of("public", "orders"))
                                .orElseThrow()
                                .state())
                        .isNotEqualTo(TableState.FAILED);
                assertThat(f.value("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables"
                                + " WHERE pubname = 'zeroetl_keys'"))
                        .isEqualTo("fullid,orders");
            }
        }
    }

    @Test
    void aReplicationUserWithoutCreateOnTheDatabaseIsToldTheGrantOrThatADbaMayCreateThePublication() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            String role = restricted(f, "");
            try {
                assertThatThrownBy(() -> ZeroEtl.from(source(f, role))
                                .to(FakeApplier::new)
                                .tables("public.orders")
                                .pipelineId("nocreate")
                                .start())
                        .isInstanceOfSatisfying(
                                ZeroEtlException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION))
                        .hasMessageContaining("GRANT CREATE ON DATABASE")
                        .hasMessageContaining(
                                "have a DBA create the publication (CREATE PUBLICATION \"zeroetl_nocreate\""
                                        + " FOR TABLE \"public\".\"orders\")");
            } finally {
                f.sql(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name ="
                                + " 'zeroetl_nocreate'",
                        "DROP OWNED BY " + role,
                        "DROP ROLE " + role);
            }
        }
    }

    @Test
    void aUserWhoMayCreateButDoesNotOwnTheTableIsToldOnlyItsOwnerMayPublishIt() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            String role = restricted(f, "");
            f.sql("GRANT CREATE ON DATABASE \"" + f.db + "\" TO " + role);
            try {
                assertThatThrownBy(() -> ZeroEtl.from(source(f, role))
                                .to(FakeApplier::new)
                                .tables("public.orders")
                                .pipelineId("notowner")
                                .start())
                        .isInstanceOfSatisfying(
                                ZeroEtlException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION))
                        .hasMessageContaining("only a table's owner");
            } finally {
                f.sql(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name ="
                                + " 'zeroetl_notowner'",
                        "DROP OWNED BY " + role,
                        "DROP ROLE " + role);
            }
        }
    }

    @Test
    void withAPublicationADbaCreatedReplicationAndSelectAreEnough() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            String role = restricted(f, "");
            f.sql("CREATE PUBLICATION dba_pub FOR TABLE orders");
            FakeApplier applier = new FakeApplier();
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(f.pg.jdbcUrl(f.db))
                    .user(role)
                    .password("pw-r")
                    .publication("dba_pub")
                    .statusInterval(Duration.ofMillis(200))
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("dba")
                    .flushInterval(Duration.ofMillis(50))
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                f.sql("INSERT INTO orders VALUES (2)");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(applier.events())
                        .filteredOn(InsertEvent.class::isInstance)
                        .hasSize(2);
            } finally {
                source.retire("dba");
                source.close();
                f.sql("DROP PUBLICATION dba_pub", "DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }

    /** A role with REPLICATION and SELECT on a new table {@code orders} holding one row. */
    private static String restricted(SourceFixture f, String extra) throws Exception {
        String role = "r_" + f.db.substring(f.db.length() - 6);
        f.sql(
                "CREATE TABLE orders (id INT PRIMARY KEY)",
                "INSERT INTO orders VALUES (1)",
                "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'pw-r'" + extra,
                "GRANT SELECT ON orders TO " + role);
        return role;
    }

    private static PostgresSource source(SourceFixture f, String role) {
        return PostgresSource.builder()
                .jdbcUrl(f.pg.jdbcUrl(f.db))
                .user(role)
                .password("pw-r")
                .build();
    }

    @Test
    void retireDropsTheSlotAndPublication() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
            PostgresSource source = f.source();
            try (Pipeline ignored = ZeroEtl.from(source)
                    .to(FakeApplier::new)
                    .tables("public.orders")
                    .pipelineId("retired")
                    .start()) {
                assertThat(f.value("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'zeroetl_retired'"))
                        .isEqualTo("1");
            }

            source.retire("retired");

            assertThat(f.value("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'zeroetl_retired'"))
                    .isEqualTo("0");
            assertThat(f.value("SELECT count(*) FROM pg_publication WHERE pubname = 'zeroetl_retired'"))
                    .isEqualTo("0");
            assertThat(source.toString()).doesNotContain(f.pg.password());
        }
    }
}
