package io.zeroetl.testing.internal.redshift;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs Redshift's {@code COPY ... FROM 's3://...'} for the emulator: reads the manifest or the key prefix from
 * the S3 server it was given (with the COPY's own keys when it names them, so wrong keys are refused as S3
 * refuses them; a role is assumed to grant access), reads each file in the COPY's format and options, converts
 * each value to what PostgreSQL's COPY reads for the column's type (VARBYTE from hex, SUPER checked as JSON),
 * and writes them as PostgreSQL CSV to the file that the translated {@code COPY ... FROM 'file'} loads inside
 * the client's transaction (a named pipe, read while it is written: {@link PendingCopy}). A record that cannot load fails the COPY with a row in STL_LOAD_ERRORS, written
 * outside that transaction (r_STL_LOAD_ERRORS).
 */
public final class CopyLoads implements AutoCloseable {
    /** A column the COPY loads: its name and Redshift type (upper case, e.g. {@code VARCHAR(10)}, {@code SUPER}). */
    public record Column(String name, String type) {}

    /** Opens a connection to the backing database (for the load error log). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** The COPY's target: the PostgreSQL reference to the table, and its columns in load order. */
    record Target(String table, String displayName, List<Column> columns) {}

    private final URI endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final ConnectionSource errorLog;
    private final Path dir;
    private final S3Client client;
    private final AtomicInteger copyIds = new AtomicInteger(1000);
    /** Threads that convert a COPY's records while PostgreSQL loads them. */
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redshift-emulator-copy-" + WRITERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final AtomicInteger WRITERS = new AtomicInteger();

    /** Loads from the S3 server at {@code endpoint}; load errors are written through {@code errorLog}'s connections. */
    public CopyLoads(URI endpoint, String accessKeyId, String secretAccessKey, ConnectionSource errorLog)
            throws IOException {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.errorLog = errorLog;
        // read by the PostgreSQL server, which may run as another OS user
        this.dir = Files.createTempDirectory(
                "zeroetl-copy-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        this.client = client(accessKeyId, secretAccessKey);
    }

    private S3Client client(String key, String secret) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // this S3Proxy predates the SDK's default CRC32 trailers; checksums only where S3 requires them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * Prepares {@code c} into {@code target}: the file PostgreSQL will load, or a {@link Rejected} when the
     * COPY fails before anything loads (source, manifest, a record).
     */
    PendingCopy prepare(CopyCommand c, Target target, int sessionPid) {
        int copyId = copyIds.incrementAndGet();
        checkTypes(c, target);
        S3Client s3 = c.hasKeys() && !(c.accessKeyId.equals(accessKeyId) && c.secretAccessKey.equals(secretAccessKey))
                ? client(c.accessKeyId, c.secretAccessKey)
                : client;
        try {
            List<String> urls;
            try {
                urls = c.manifest ? S3Files.manifest(s3, c.source) : S3Files.prefix(s3, c.source);
            } catch (SdkException e) {
                throw new Rejected(
                        Rejected.INTERNAL,
                        "S3ServiceException:" + e.getMessage() + ",Status 403" + " (reading " + c.source + ")");
            }
            String firstUrl = urls.isEmpty() ? c.source : urls.get(0);
            Path fifo = s3 == client ? PendingCopy.fifo(dir, copyId) : null;
            if (fifo != null) {
                return PendingCopy.streamed(
                        copyId,
                        target,
                        fifo,
                        firstUrl,
                        out -> fill(out, c, target, urls, s3, copyId, sessionPid),
                        writers);
            }
            Path file;
            try {
                file = Files.createTempFile(
                        dir,
                        "copy-" + copyId + "-",
                        ".csv",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            } catch (IOException e) {
                throw new Rejected(Rejected.INTERNAL, "the emulator could not write its load file: " + e.getMessage());
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                fill(out, c, target, urls, s3, copyId, sessionPid);
            } catch (IOException | RuntimeException e) {
                delete(file);
                throw e instanceof Rejected r
                        ? r
                        : new Rejected(
                                Rejected.INTERNAL, "the emulator could not write its load file: " + e.getMessage());
            }
            return PendingCopy.written(copyId, target, file, firstUrl);
        } finally {
            if (s3 != client) {
                s3.close();
            }
        }
    }

    /**
     * Writes every record of {@code urls} to {@code out} as PostgreSQL's CSV; throws a {@link Rejected} when the
     * COPY fails (its load errors logged), as Redshift answers it.
     */
    private void fill(
            Writer out, CopyCommand c, Target target, List<String> urls, S3Client reader, int copyId, int sessionPid)
            throws IOException {
        String current = null;
        CopyValues.Plan plan = new CopyValues.Plan(c, target.columns());
        CopyValues.Out csv = new CopyValues.Out(out);
        try {
            int[] errors = {0};
            for (String url : urls) {
                current = url;
                String at = url;
                try (InputStream raw = S3Files.open(reader, url)) {
                    InputStream in = switch (c.compression) {
                        case GZIP -> new GZIPInputStream(raw, 65536);
                        case ZSTD -> new ZstdInputStream(raw);
                        case NONE -> raw;
                    };
                    var decoder = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(c.acceptInvChars ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT)
                            .onUnmappableCharacter(
                                    c.acceptInvChars ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT);
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder), 65536);
                    CopyRecords.read(
                            r, c, target.columns().stream().map(Column::name).toList(), (line, fields, rawLine) -> {
                                try {
                                    csv.write(plan.record(fields, line, rawLine));
                                } catch (CopyRecords.CopyFailure f) {
                                    logError(copyId, sessionPid, target, at, f);
                                    if (++errors[0] > c.maxError) {
                                        throw new Logged();
                                    }
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
                }
            }
        } catch (Logged f) {
            throw loadFailed(target);
        } catch (CopyRecords.CopyFailure f) {
            logError(copyId, sessionPid, target, current, f);
            throw loadFailed(target);
        } catch (CharacterCodingException e) {
            logError(
                    copyId,
                    sessionPid,
                    target,
                    current,
                    new CopyRecords.CopyFailure(
                            0, null, "", 1220, "String contains invalid or unsupported UTF8 codepoints"));
            throw loadFailed(target);
        } catch (IOException | UncheckedIOException e) {
            throw new Rejected(
                    Rejected.INTERNAL, "S3ServiceException: reading " + current + " failed: " + e.getMessage());
        }
    }

    /** The PostgreSQL statement that loads a prepared file. */
    static String loadSql(PendingCopy p) {
        StringBuilder sql =
                new StringBuilder("COPY ").append(p.target().table()).append(" (");
        for (int i = 0; i < p.target().columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append('"')
                    .append(p.target().columns().get(i).name().replace("\"", "\"\""))
                    .append('"');
        }
        return sql.append(") FROM '")
                .append(p.file().toString().replace("'", "''"))
                .append("' WITH (FORMAT csv)")
                .toString();
    }

    /** PostgreSQL refused the load (a value its type does not take): Redshift's answer, with the detail logged. */
    String loadRefused(PendingCopy p, int sessionPid, String message, String where) {
        Rejected failed = p.failure();
        if (failed != null) {
            // the records failed the COPY (and were logged) while PostgreSQL loaded them: that is the answer
            return failed.getMessage();
        }
        long line = 0;
        String column = null;
        String raw = "";
        if (where != null) {
            var m = Pattern.compile("line (\\d+)(?:, column ([^:]+))?(?:: \"(.*)\")?")
                    .matcher(where);
            if (m.find()) {
                line = Long.parseLong(m.group(1));
                column = m.group(2);
                raw = m.group(3) == null ? "" : m.group(3);
            }
        }
        logError(
                p.copyId(),
                sessionPid,
                p.target(),
                p.firstUrl(),
                new CopyRecords.CopyFailure(line, column, raw, 1216, message));
        return "Load into table '" + p.target().displayName() + "' failed.  Check 'stl_load_errors' system table for"
                + " details.";
    }

    /** More records failed than MAXERROR allows; each is in STL_LOAD_ERRORS already. */
    private static final class Logged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Logged() {
            super(null, null, false, false);
        }
    }

    private static Rejected loadFailed(Target target) {
        return new Rejected(
                Rejected.INTERNAL,
                "Load into table '" + target.displayName() + "' failed.  Check"
                        + " 'stl_load_errors' system table for details.");
    }

    /** Redshift's COPY takes VARBYTE from CSV (and columnar formats) only (copy-usage-varbyte). */
    private static void checkTypes(CopyCommand c, Target target) {
        for (Column column : target.columns()) {
            if (column.type().startsWith("VARBYTE") && c.format != CopyCommand.Format.CSV) {
                throw Rejected.unsupported("column " + column.name() + " is VARBYTE, which COPY loads from CSV, Parquet"
                        + " and ORC only (copy-usage-varbyte)");
            }
            if (column.type().startsWith("VARBYTE") && c.removeQuotes) {
                throw Rejected.unsupported("REMOVEQUOTES is not supported with a VARBYTE column (copy-usage-varbyte)");
            }
        }
    }

    private void logError(int copyId, int sessionPid, Target target, String url, CopyRecords.CopyFailure f) {
        try (Connection log = errorLog.open();
                PreparedStatement ps = log.prepareStatement("INSERT INTO"
                        + " zeroetl_emulator.load_error_log (userid, slice, tbl, starttime, session, query, filename,"
                        + " line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code, err_reason,"
                        + " is_partial, start_offset) VALUES (100, 0, 0, localtimestamp, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 0,"
                        + " 0)")) {
            Column column = f.column == null
                    ? null
                    : target.columns().stream()
                            .filter(x -> x.name().equals(f.column))
                            .findFirst()
                            .orElse(null);
            ps.setInt(1, sessionPid);
            ps.setInt(2, copyId);
            ps.setString(3, cut(url == null ? "" : url, 256));
            ps.setLong(4, f.line);
            ps.setString(5, cut(f.column == null ? "" : f.column, 127));
            ps.setString(6, column == null ? "" : cut(column.type().toLowerCase(Locale.ROOT), 10));
            ps.setString(7, column == null ? "" : cut(column.type().replaceAll("[^0-9,]", ""), 10));
            ps.setString(8, cut(f.raw, 1024));
            ps.setString(9, cut(f.raw, 1024));
            ps.setInt(10, f.code);
            ps.setString(11, cut(String.valueOf(f.getMessage()), 100));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new Rejected(Rejected.INTERNAL, "the emulator could not record a load error: " + e.getMessage());
        }
    }

    private static String cut(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, chars);
    }

    /** Deletes a file PostgreSQL has loaded (or will not load). */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the directory goes when the emulator closes
        }
    }

    @Override
    public void close() {
        writers.shutdown();
        client.close();
        try (var files = Files.list(dir)) {
            files.forEach(CopyLoads::delete);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory
        }
    }
}
