package io.zeroetl.testing.internal.redshift;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.RecordedStatement;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every statement an emulator's clients sent, in memory and, when asked, appended to a file. */
public final class StatementLog implements StatementRecorder, AutoCloseable {
    private final List<RecordedStatement> statements = new CopyOnWriteArrayList<>();
    private final Writer file;

    /** A log that also appends to {@code file}, unless it is null. */
    public StatementLog(Path file) throws IOException {
        this.file = file == null
                ? null
                : Files.newBufferedWriter(
                        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void record(String sql, String sent, String sqlState, String rejection) {
        statements.add(new RecordedStatement(sql, sent, sqlState, rejection, Instant.now()));
        if (file != null) {
            synchronized (file) {
                try {
                    file.write(sql.strip() + ";\n" + (rejection == null ? "" : "-- rejected: " + rejection + "\n"));
                    file.flush();
                } catch (IOException e) {
                    throw new EmbeddedServerException("Could not record a statement: " + e.getMessage(), e);
                }
            }
        }
    }

    /** {@return the statements, a copy} */
    public List<RecordedStatement> all() {
        return List.copyOf(statements);
    }

    /** {@return the statements the emulator rejected} */
    public List<RecordedStatement> rejected() {
        return statements.stream().filter(RecordedStatement::rejected).toList();
    }

    /** Forgets the statements recorded so far. */
    public void clear() {
        statements.clear();
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new EmbeddedServerException("Could not close the statement file: " + e.getMessage(), e);
            }
        }
    }
}
