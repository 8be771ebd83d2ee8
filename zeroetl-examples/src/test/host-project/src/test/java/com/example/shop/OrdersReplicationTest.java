package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.EmbeddedPostgresExtension;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersReplicationTest {
    @RegisterExtension
    static EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

    @RegisterExtension
    static RedshiftEmulatorExtension redshift = new RedshiftEmulatorExtension();

    @Test
    void ordersReachRedshift() throws Exception {
        EmbeddedPostgres pg = postgres.server();
        String db = pg.createDatabase();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                    + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))");
            s.execute("INSERT INTO orders (customer_name, total_amount) VALUES ('Alice', 99.90), ('Bob', 15.00)");
        }
        RedshiftEmulator rs = redshift.emulator();
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(rs.jdbcUrl())
                .user(rs.user())
                .password(rs.password())
                .build();

        try (Pipeline pipeline = ZeroEtl.from(source).to(target).tables("public.orders").start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }

        try (Connection c = rs.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), sum(total_amount) FROM public.orders")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(2);
            assertThat(r.getBigDecimal(2)).isEqualByComparingTo("114.90");
        }
        source.retire("zeroetl"); // drops the pipeline's replication slot and publication
        source.close();
        pg.dropDatabase(db);
    }
}
