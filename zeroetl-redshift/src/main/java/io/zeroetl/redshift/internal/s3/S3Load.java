package io.zeroetl.redshift.internal.s3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.redshift.internal.InsertLoader;
import io.zeroetl.redshift.internal.Utf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One load of staged rows through S3: rows are written as CSV (gzipped unless the staging says
 * {@link S3Staging.Compression#NONE}) to a local file, closed and
 * uploaded each time it reaches {@link S3Staging#partBytes()} while the batch goes on (so memory holds one
 * row; a load opened alone also sends what it has once that fills a file and no COPY of it is running), then a manifest names every part and one {@code COPY ... MANIFEST} loads them into the staging table
 * inside the batch's transaction. Object names are unique to the attempt (a retry never reads an earlier
 * attempt's file); the objects are deleted once COPY has read them, or when the load is closed without.
 *
 * <p>The file format is the one the COPY pages define for every type zeroetl stages (copy-parameters-data-format
 * CSV; copy-usage-varbyte: VARBYTE as hex; ingest-super: SUPER as serialized JSON): every value quoted, so
 * delimiters, quotes and line breaks are data; NULL written as a random marker given to {@code NULL AS}, so no
 * value can be mistaken for it and an empty string stays an empty string; dates and times read as CAST reads
 * them ({@code DATEFORMAT 'auto'}, {@code TIMEFORMAT 'auto'}: automatic-recognition). The one value CSV cannot
 * carry, an empty VARBYTE (COPY loads an empty non-character field as NULL: copy-parameters-data-conversion),
 * goes with its row through an INSERT in the same transaction, and so does a row whose line would be over
 * COPY's 4 MB (a VARBYTE value over 2 MB, a large SUPER document).
 */
final class S3Load implements StagingLoader.Load {
    private static final JsonFactory JSON = new JsonFactory();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection connection;
    private final String table;
    private final List<StagingLoader.Column> columns;
    private final S3Staging config;
    /** How the files are compressed: as configured, gzip where Zstandard does not load here. */
    private final S3Staging.Compression compression;

    private final S3Objects s3;
    private final String keyBase;
    private final String nullMarker;
    private final byte[] nullBytes;
    private final boolean[] varbyte;
    private final StagedFiles files;
    /** Runs COPYs of the files written so far while the next are written; null: one COPY at the end. */
    private final Executor copier;
    /** The COPY running on {@link #copier}, if any. */
    private CompletableFuture<Void> running;

    private StagingLoader.Load inserts;
    private long rows;
    private int copied;

    S3Load(
            Connection connection,
            String table,
            List<StagingLoader.Column> columns,
            S3Staging config,
            S3Objects s3,
            String pipelinePrefix,
            int slices,
            Executor copier) {
        this.copier = copier;
        this.connection = connection;
        this.table = table;
        this.columns = columns;
        this.config = config;
        this.s3 = s3;
        this.keyBase = pipelinePrefix + UUID.randomUUID() + "/";
        this.compression = Zstandard.effective(config.compression());
        // loaded while the next files are written: files small enough that the target's load and the staging overlap
        this.files = new StagedFiles(
                s3,
                keyBase,
                copier == null ? config.partBytes() : Math.min(config.partBytes(), OVERLAPPED_PART_CHARS),
                slices,
                compression);
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        this.nullMarker = "zeroetl-null-" + HexFormat.of().formatHex(token);
        this.nullBytes = nullMarker.getBytes(StandardCharsets.US_ASCII);
        this.varbyte = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            varbyte[i] = columns.get(i).type().startsWith("VARBYTE");
        }
    }

    /**
     * "The maximum size of a single input row from any source is 4 MB" (copy-parameters-data-source): read as
     * 4,000,000 bytes, the smaller of its two readings, with the null marker counted as its longest.
     */
    static final long MAX_ROW_BYTES = 4_000_000;

    private static final int NULL_MARKER_CHARS = 45;

    /** The characters of a file group loaded while the next is written (a part, at most). */
    static final long OVERLAPPED_PART_CHARS = 24L << 20;

    /** Whether {@code row}'s CSV line (quoted values, doubled quotes, delimiters, line end) fits a COPY row. */
    static boolean fitsCopy(String[] row) {
        return fitsCopy(row, MAX_ROW_BYTES);
    }

    /** Whether {@code row}'s CSV line takes at most {@code limit} bytes. */
    static boolean fitsCopy(String[] row, long limit) {
        long chars = row.length;
        for (String v : row) {
            chars += v == null ? NULL_MARKER_CHARS : 2L + v.length();
        }
        if (3 * chars <= limit) {
            return true;
        }
        long bytes = row.length;
        for (String v : row) {
            if (v == null) {
                bytes += NULL_MARKER_CHARS;
            } else {
                bytes += 2 + Utf8.bytes(v);
                for (int i = v.indexOf('"'); i >= 0; i = v.indexOf('"', i + 1)) {
                    bytes++;
                }
            }
        }
        return bytes <= limit;
    }

    @Override
    public void add(String[] row) throws SQLException {
        boolean byInsert = !fitsCopy(row);
        for (int i = 0; i < row.length && !byInsert; i++) {
            byInsert = varbyte[i] && row[i] != null && row[i].isEmpty();
        }
        if (byInsert) {
            // an INSERT uses the connection: not while a COPY runs on it
            settle();
            if (inserts == null) {
                inserts = InsertLoader.INSTANCE.open(connection, table, columns);
            }
            inserts.add(row);
            return;
        }
        try {
            StagedFiles.Part part = files.part();
            CsvOut out = part.out;
            long chars = row.length;
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.put(',');
                }
                String v = row[i];
                chars += v == null ? out.raw(nullBytes) : out.quoted(v);
            }
            out.put('\n');
            rows++;
            files.wrote(part, chars);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a staged file", e);
        }
        if (copier != null && files.uploaded().isEmpty() && copierIdle() && files.chars() >= StagedFiles.SPLIT_CHARS) {
            // nothing is loading: what is written so far goes now rather than when its files are full, so the
            // target loads while the rest is written instead of waiting for a whole group
            try {
                files.upload();
            } catch (IOException e) {
                throw new UncheckedIOException("writing a staged file", e);
            }
        }
        if (copier != null && !files.uploaded().isEmpty()) {
            // a group of files is up: loaded on the other thread while this one writes the next
            settle();
            List<String> keys = takeUploaded();
            long upTo = rows;
            running = CompletableFuture.runAsync(
                    () -> {
                        try {
                            copy(keys, upTo);
                        } catch (SQLException e) {
                            throw new CompletionException(e);
                        }
                    },
                    copier);
        }
    }

    /** Whether no COPY is loading on the other thread. */
    private boolean copierIdle() {
        return running == null || running.isDone();
    }

    @Override
    public void settle() throws SQLException {
        CompletableFuture<Void> copy = running;
        if (copy == null) {
            return;
        }
        running = null;
        try {
            copy.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("loading staged files failed", cause);
        }
    }

    @Override
    public void finish() throws SQLException {
        try {
            files.upload();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a staged file", e);
        }
        settle();
        List<String> uploaded = takeUploaded();
        if (!uploaded.isEmpty()) {
            copy(uploaded, rows);
        }
        if (inserts != null) {
            inserts.finish();
        }
    }

    /**
     * Loads the files {@code keys} by one COPY of a manifest naming them, then deletes them and the manifest
     * (COPY has read them, or failed: a retry stages afresh under new names); {@code upTo} rows were staged.
     */
    private void copy(List<String> keys, long upTo) throws SQLException {
        String manifest = keyBase + "manifest-" + (copied + 1);
        List<String> written = new ArrayList<>(keys);
        try {
            s3.putBytes(manifest, manifest(keys));
            written.add(manifest);
            try (Statement s = connection.createStatement()) {
                s.execute(copySql(s3.url(manifest)));
            } catch (SQLException e) {
                throw new CopyFailedException(table, upTo, s3.url(manifest), s3.url(keyBase), e);
            }
            copied += keys.size();
        } finally {
            s3.delete(written);
        }
    }

    /** The manifest: every part, each mandatory (copy-parameters-data-source-s3). */
    private byte[] manifest(List<String> keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeArrayFieldStart("entries");
            for (String key : keys) {
                g.writeStartObject();
                g.writeStringField("url", s3.url(key));
                g.writeBooleanField("mandatory", true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@code COPY stage (c...) FROM 's3://.../manifest' <authorization> MANIFEST FORMAT AS CSV [GZIP | ZSTD] NULL AS ...}
     * (r_COPY, copy-parameters-authorization, copy-parameters-data-source-s3, copy-parameters-data-format,
     * copy-parameters-file-compression, copy-parameters-data-conversion, copy-parameters-data-load).
     */
    String copySql(String manifestUrl) {
        StringBuilder sql = new StringBuilder("COPY ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i).quotedName());
        }
        sql.append(") FROM ").append(literal(manifestUrl));
        if (config.iamRole() != null) {
            sql.append(" IAM_ROLE ").append(literal(config.iamRole()));
        } else {
            sql.append(" ACCESS_KEY_ID ")
                    .append(literal(config.accessKeyId()))
                    .append(" SECRET_ACCESS_KEY ")
                    .append(literal(config.secretAccessKey().reveal()));
            if (config.sessionToken() != null) {
                sql.append(" SESSION_TOKEN ")
                        .append(literal(config.sessionToken().reveal()));
            }
        }
        sql.append(
                        switch (compression) {
                            case GZIP -> " MANIFEST FORMAT AS CSV GZIP NULL AS ";
                            case ZSTD -> " MANIFEST FORMAT AS CSV ZSTD NULL AS ";
                            case NONE -> " MANIFEST FORMAT AS CSV NULL AS ";
                        })
                .append(literal(nullMarker))
                .append(" DATEFORMAT 'auto' TIMEFORMAT 'auto' ROUNDEC COMPUPDATE OFF STATUPDATE OFF");
        if (config.region() != null) {
            sql.append(" REGION ").append(literal(config.region()));
        }
        return sql.toString();
    }

    /** A string literal as Redshift reads it: backslash is an escape there, so it is doubled too . */
    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The files uploaded and not yet loaded, which the caller takes over (to load, or to delete). */
    private List<String> takeUploaded() {
        List<String> keys = new ArrayList<>(files.uploaded());
        files.uploaded().clear();
        return keys;
    }

    private void release() {
        s3.delete(takeUploaded());
    }

    /** {@return how many data files the load's COPY read, for tests} */
    int filesCopied() {
        return copied;
    }

    @Override
    public void close() throws SQLException {
        try {
            settle();
        } catch (SQLException | RuntimeException e) {
            // the batch failed: its rollback takes what the COPY loaded; the COPY deleted its files
        }
        files.discard();
        if (!files.uploaded().isEmpty()) {
            release();
        }
        if (inserts != null) {
            inserts.close();
        }
    }
}
