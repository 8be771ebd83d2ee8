package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requirement 5: every statement is recorded, readable from the test and optionally in a file. */
class RecordingIT {
    @Test
    void everyStatementIsRecordedAsSentWithWhatTheEmulatorDid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("statements.sql").toAbsolutePath();
        try (RedshiftEmulator redshift =
                RedshiftEmulator.builder().recordTo(file).start()) {
            redshift.clearStatements();
            run(redshift, "CREATE TABLE rec (id INT, doc SUPER) DISTKEY(id)", "INSERT INTO rec VALUES (1, NULL)");
            assertThatThrownBy(() -> run(redshift, "CREATE INDEX rec_i ON rec (id)"));

            assertThat(redshift.statements())
                    .extracting(RecordedStatement::sql)
                    .contains(
                            "CREATE TABLE rec (id INT, doc SUPER) DISTKEY(id)",
                            "INSERT INTO rec VALUES (1, NULL)",
                            "CREATE INDEX rec_i ON rec (id)");
            RecordedStatement create = redshift.statements().stream()
                    .filter(s -> s.sql().startsWith("CREATE TABLE"))
                    .findFirst()
                    .orElseThrow();
            assertThat(create.sentToPostgres()).contains("jsonb").doesNotContain("DISTKEY");
            assertThat(redshift.rejectedStatements())
                    .singleElement()
                    .satisfies(s -> assertThat(s.rejectionReason())
                            .hasValueSatisfying(r -> assertThat(r).contains("INDEX")));
        }
        String recorded = Files.readString(file);
        assertThat((CharSequence) recorded)
                .contains("CREATE TABLE rec (id INT, doc SUPER) DISTKEY(id);")
                .contains("-- rejected: CREATE INDEX is not supported");
    }
}
