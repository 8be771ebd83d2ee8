package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import org.junit.jupiter.api.Test;

/**
 * TLS settings reach the drivers: {@code sslMode} for the source (pgjdbc's sslmode) and {@code ssl} for the
 * target (the Redshift driver's). Both test servers speak no TLS, so a pipeline that demands it is refused,
 * with a message that names the cause and holds no password.
 */
class TlsIT {
    @Test
    void sslModeRequireIsPassedToTheSource() {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .sslMode("require")
                    .build();
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .build();

            assertThatThrownBy(() -> ZeroEtl.from(source)
                            .to(target)
                            .include("public.*")
                            .pipelineId("tls")
                            .start())
                    .isInstanceOf(ZeroEtlException.class)
                    .hasMessageContaining("SSL")
                    .hasMessageNotContaining(pg.password());
        } finally {
            pg.dropDatabase(db);
        }
    }

    @Test
    void sslTrueIsPassedToTheTarget() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            pg.connect(db).createStatement().execute("CREATE TABLE t (id int PRIMARY KEY)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            // the emulator's own URL says ssl=false; this one leaves TLS to the builder
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl("jdbc:redshift://127.0.0.1:" + redshift.port() + "/dev")
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(true)
                    .property("sslmode", "verify-full")
                    .build();

            // TLS asked of a server without it: no retry can help, so the start fails with the fix
            assertThatThrownBy(() -> ZeroEtl.from(source)
                            .to(target)
                            .tables("public.t")
                            .pipelineId("tls")
                            .start())
                    .isInstanceOf(ZeroEtlException.class)
                    .hasMessageContaining("does not support SSL")
                    .hasMessageContaining("Set ssl(false)")
                    .hasMessageNotContaining(redshift.password());
            source.close();
        } finally {
            pg.dropDatabase(db);
        }
    }
}
