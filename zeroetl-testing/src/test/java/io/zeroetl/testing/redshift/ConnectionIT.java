package io.zeroetl.testing.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requirement 1: the real Redshift JDBC driver connects and works through the emulator. */
class ConnectionIT {
    @RegisterExtension
    static RedshiftEmulatorExtension emulator = new RedshiftEmulatorExtension();

    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        redshift = emulator.emulator();
    }

    @Test
    void realDriverConnectsAndSeesRedshift() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version()")) {
            assertThat(c.getClass().getName()).startsWith("com.amazon.redshift");
            rs.next();
            assertThat(rs.getString(1)).contains("Redshift");
            assertThat(redshift.jdbcUrl()).matches("jdbc:redshift://127\\.0\\.0\\.1:\\d+/dev\\?ssl=false");
        }
    }

    @Test
    void plainPreparedAndBatchedStatementsWork() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conn_orders (id INTEGER, note VARCHAR(20))");
            assertThat(s.executeUpdate("INSERT INTO conn_orders VALUES (1, 'one'), (2, 'two')"))
                    .isEqualTo(2);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conn_orders VALUES (?, ?)")) {
                for (int i = 3; i <= 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(3);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM conn_orders WHERE id = ?")) {
                ps.setInt(1, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("n4");
                }
            }
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conn_tx (id INT)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO conn_tx VALUES (1)");
            c.rollback();
            s.execute("INSERT INTO conn_tx VALUES (2)");
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT id FROM conn_tx")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void metadataReadsTablesAndColumns() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conn_meta (id BIGINT, amount DECIMAL(12,2))");
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, "public", "conn_meta", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).containsExactly("conn_meta");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, "public", "conn_meta", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                }
            }
            assertThat(columns).containsExactly("id:int8", "amount:numeric");
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties props = redshift.connectionProperties();
        props.setProperty("password", "not-the-password");

        assertThatThrownBy(() ->
                        DriverManager.getConnection(redshift.jdbcUrl(), props).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void everyStatementIsRecorded() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT 42 AS recorded_marker");
        }
        assertThat(redshift.statements()).anySatisfy(st -> assertThat(st.sql()).contains("recorded_marker"));
    }
}
