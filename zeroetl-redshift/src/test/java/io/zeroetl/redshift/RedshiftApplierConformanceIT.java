package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.conformance.ChangeApplierContract;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The Redshift target passes the SPI's conformance kit, through the emulator (SERIALIZABLE isolation;
 * {@link RedshiftApplierSnapshotConformanceIT} runs it all again under SNAPSHOT isolation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftApplierConformanceIT extends ChangeApplierContract {
    private RedshiftEmulator redshift;
    private RedshiftTarget target;

    /** {@return the emulator to run the kit against} */
    RedshiftEmulator.Builder emulator() {
        return RedshiftEmulator.builder();
    }

    @BeforeAll
    void start() {
        redshift = emulator().start();
        target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .build();
    }

    @AfterAll
    void stop() {
        assertThat(redshift.rejectedStatements())
                .as("statements the emulator rejected")
                .isEmpty();
        redshift.close();
    }

    @Override
    protected ChangeApplier applier() {
        return target.applier();
    }

    @Override
    protected List<List<String>> rows(TableId table, List<String> columns) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        String select = columns.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + select + " FROM " + table.quoted())) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows;
            }
            throw e;
        }
        return rows;
    }

    @Override
    protected Optional<Object> refusedText() {
        // Redshift's VARCHAR holds no NUL character (r_Character_types)
        return Optional.of("a\u0000b");
    }

    @Override
    protected boolean fences() {
        return true;
    }
}
