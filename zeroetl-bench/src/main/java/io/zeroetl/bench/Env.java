package io.zeroetl.bench;

import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The servers of one benchmark run: a source PostgreSQL, the Redshift emulator, and plain PostgreSQL targets. */
final class Env implements AutoCloseable {
    final EmbeddedPostgres pg;
    final RedshiftEmulator redshift;

    Env() {
        this.pg = EmbeddedPostgres.start();
        this.redshift = RedshiftEmulator.start();
    }

    String newDatabase() {
        return pg.createDatabase();
    }

    Connection connect(String db) throws SQLException {
        return pg.connect(db);
    }

    void sql(String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    PostgresSource source(String db) {
        return PostgresSource.builder().jdbcUrl(pg.jdbcUrl(db)).user(pg.user()).password(pg.password())
                .ddlCapture(false).build();
    }

    RedshiftTarget target() {
        return RedshiftTarget.builder().jdbcUrl(redshift.jdbcUrl()).user(redshift.user()).password(redshift.password())
                .ssl(false).build();
    }

    @Override
    public void close() {
        redshift.close();
        pg.close();
    }
}
