package io.zeroetl.redshift.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A load's files by the cluster's slices: gzipped files are not split, so a large load is a multiple of the
 * slices in files (c_best-practices-use-multiple-files); a small one stays one file.
 */
class S3LoadIT {
    private static final List<StagingLoader.Column> COLUMNS =
            List.of(new StagingLoader.Column("id", "BIGINT"), new StagingLoader.Column("note", "VARCHAR(200)"));

    @Test
    void aLargeLoadIsAMultipleOfTheSlicesInFilesAndASmallOneIsOneFile() throws Exception {
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift =
                        RedshiftEmulator.builder().s3(s3).slices(4).start()) {
            s3.createBucket("slices");
            S3Staging config = staging(s3, "slices").partBytes(1 << 20).build();
            S3Objects objects = new S3Objects(config);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("CREATE TEMP TABLE stage (id BIGINT, note VARCHAR(200))");

                int small = load(c, config, objects, 100);
                int large = load(c, config, objects, 60_000);

                assertThat(small).as("files of a small load").isEqualTo(1);
                assertThat(large).as("files of a 6 MB load on 4 slices").isGreaterThan(4);
                assertThat(large % 4).as("a multiple of the slices").isZero();
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM stage")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(60_100);
                    assertThat(rs.getLong(2)).isEqualTo(60_000);
                }
                c.rollback();
            }
            assertThat(s3.keys("slices", "")).as("objects left").isEmpty();
        }
    }

    /**
     * compression(NONE): the staged file is plain CSV, named .csv, and COPY is not told GZIP
     * (copy-parameters-file-compression); every value, quotes and line breaks included, loads as it was.
     */
    @Test
    void uncompressedFilesArePlainCsvAndLoadWithoutGzip() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, String> files = new ConcurrentHashMap<>();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder()
                        .s3(s3)
                        .beforeStatement(sql -> {
                            if (sql.startsWith("COPY")) {
                                seen.add(sql);
                                // the staged files as COPY finds them (it deletes them after)
                                for (String key : s3.keys("plain", "")) {
                                    files.put(
                                            key,
                                            s3.client()
                                                    .getObjectAsBytes(b ->
                                                            b.bucket("plain").key(key))
                                                    .asUtf8String());
                                }
                            }
                        })
                        .start()) {
            s3.createBucket("plain");
            S3Staging config =
                    staging(s3, "plain").compression(S3Staging.Compression.NONE).build();
            S3Objects objects = new S3Objects(config);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("CREATE TEMP TABLE stage (id BIGINT, note VARCHAR(200))");
                try (S3Load load = new S3Load(c, "stage", COLUMNS, config, objects, "p/", 1, null)) {
                    load.add(new String[] {"1", "a \"quoted\", line\nbreak: é€😀"});
                    load.add(new String[] {"2", null});
                    load.add(new String[] {"3", ""});
                    load.finish();
                }
                try (ResultSet rs = s.executeQuery("SELECT id, note FROM stage ORDER BY id")) {
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + "=" + rs.getString(2));
                    }
                    assertThat(rows).containsExactly("1=a \"quoted\", line\nbreak: é€😀", "2=null", "3=");
                }
                c.rollback();
            }
            assertThat(seen)
                    .singleElement()
                    .satisfies(sql ->
                            assertThat(sql).contains("FORMAT AS CSV NULL AS").doesNotContain("GZIP"));
            assertThat(files.keySet()).anySatisfy(key -> assertThat(key).endsWith("part-00001.csv"));
            assertThat(files.entrySet())
                    .filteredOn(e -> e.getKey().endsWith(".csv"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValue()).startsWith("\"1\",\"a \"\"quoted\"\", line\nbreak"));
        }
    }

    /**
     * compression(ZSTD): the staged file is Zstandard (its frame's magic number, and it decompresses to the CSV),
     * named .csv.zst, and COPY is told ZSTD (copy-parameters-file-compression); every value loads as it was.
     */
    @Test
    void zstdFilesAreZstandardAndLoadWithZstd() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder()
                        .s3(s3)
                        .beforeStatement(sql -> {
                            if (sql.startsWith("COPY")) {
                                seen.add(sql);
                                for (String key : s3.keys("zstd", "")) {
                                    files.put(
                                            key,
                                            s3.client()
                                                    .getObjectAsBytes(b ->
                                                            b.bucket("zstd").key(key))
                                                    .asByteArray());
                                }
                            }
                        })
                        .start()) {
            s3.createBucket("zstd");
            S3Staging config =
                    staging(s3, "zstd").compression(S3Staging.Compression.ZSTD).build();
            S3Objects objects = new S3Objects(config);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("CREATE TEMP TABLE stage (id BIGINT, note VARCHAR(200))");
                try (S3Load load = new S3Load(c, "stage", COLUMNS, config, objects, "p/", 1, null)) {
                    load.add(new String[] {"1", "a \"quoted\", line\nbreak: é€😀"});
                    load.add(new String[] {"2", null});
                    load.add(new String[] {"3", ""});
                    load.finish();
                }
                try (ResultSet rs = s.executeQuery("SELECT id, note FROM stage ORDER BY id")) {
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + "=" + rs.getString(2));
                    }
                    assertThat(rows).containsExactly("1=a \"quoted\", line\nbreak: é€😀", "2=null", "3=");
                }
                c.rollback();
            }
            assertThat(seen).singleElement().satisfies(sql -> assertThat(sql).contains("FORMAT AS CSV ZSTD NULL AS"));
            assertThat(files.entrySet())
                    .filteredOn(e -> e.getKey().endsWith("part-00001.csv.zst"))
                    .singleElement()
                    .satisfies(e -> {
                        // Zstandard's frame magic number, little-endian 0xFD2FB528
                        assertThat(Arrays.copyOf(e.getValue(), 4))
                                .containsExactly((byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD);
                        assertThat(new String(Zstd.decompress(e.getValue(), 1 << 20), StandardCharsets.UTF_8))
                                .startsWith("\"1\",\"a \"\"quoted\"\", line\nbreak");
                    });
        }
    }

    /**
     * A load opened alone (a copy into a table created for it) loads each group of files by a COPY on another
     * thread while it writes the next: several COPYs, every row once, nothing left in S3; a COPY refused in the
     * background fails the load where it is next asked, and the batch's rollback leaves nothing.
     */
    @Test
    void aLoadOpenedAloneLoadsItsFilesWhileWritingTheNextAndReportsABackgroundFailure() throws Exception {
        List<String> copies = new CopyOnWriteArrayList<>();
        ExecutorService copier = Executors.newSingleThreadExecutor();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder()
                        .s3(s3)
                        .beforeStatement(sql -> {
                            if (sql.startsWith("COPY")) {
                                copies.add(sql);
                            }
                        })
                        .start()) {
            s3.createBucket("alone");
            S3Staging config = staging(s3, "alone").partBytes(1 << 20).build();
            S3Objects objects = new S3Objects(config);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("CREATE TEMP TABLE stage (id BIGINT, note VARCHAR(200))");
                try (S3Load load = new S3Load(c, "stage", COLUMNS, config, objects, "p/", 1, copier)) {
                    for (int i = 0; i < 40_000; i++) {
                        load.add(new String[] {Integer.toString(i), "row " + i + " " + "n".repeat(80)});
                    }
                    load.finish();
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM stage")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(40_000);
                    assertThat(rs.getLong(2)).isEqualTo(40_000);
                }
                assertThat(copies)
                        .as("a COPY per group of files (4 MB of 1 MB parts)")
                        .hasSizeGreaterThan(2);
                c.rollback();

                // a row the table refuses (its note too long for VARCHAR(200)) in the first group
                s.execute("CREATE TEMP TABLE strict (id BIGINT, note VARCHAR(200))");
                c.commit();
                S3Load failing = new S3Load(c, "strict", COLUMNS, config, objects, "p/", 1, copier);
                assertThatThrownBy(() -> {
                            try (failing) {
                                failing.add(new String[] {"0", "x".repeat(300)});
                                for (int i = 1; i < 40_000; i++) {
                                    failing.add(new String[] {Integer.toString(i), "n".repeat(80)});
                                }
                                failing.finish();
                            }
                        })
                        .isInstanceOf(CopyFailedException.class);
                c.rollback();
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM strict")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
            assertThat(s3.keys("alone", "")).as("objects left").isEmpty();
        } finally {
            copier.shutdownNow();
        }
    }

    /**
     * A load opened alone whose COPY thread has nothing to do sends what it has written once that is a file's worth
     * (not when its files are full), so the target loads while the rest is written; the next group waits until
     * that COPY is done and is a file's worth again.
     */
    @Test
    void aLoadOpenedAloneStartsLoadingOnceItHoldsAFileWhenNothingIsLoading() throws Exception {
        List<String> copies = new CopyOnWriteArrayList<>();
        ExecutorService copier = Executors.newSingleThreadExecutor();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder()
                        .s3(s3)
                        .beforeStatement(sql -> {
                            if (sql.startsWith("COPY")) {
                                copies.add(sql);
                            }
                        })
                        .start()) {
            s3.createBucket("early");
            S3Staging config = staging(s3, "early").build();
            S3Objects objects = new S3Objects(config);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("CREATE TEMP TABLE stage (id BIGINT, note VARCHAR(200))");
                long chars = 0;
                try (S3Load load = new S3Load(c, "stage", COLUMNS, config, objects, "p/", 1, copier)) {
                    int i = 0;
                    // past a file's worth, still far from a full part
                    while (chars < StagedFiles.SPLIT_CHARS * 3 / 2) {
                        String[] row = {Integer.toString(i), "row " + i + " " + "n".repeat(80)};
                        load.add(row);
                        chars += row[0].length() + row[1].length() + 6;
                        i++;
                    }
                    assertThat(chars).isLessThan(S3Load.OVERLAPPED_PART_CHARS);
                    load.settle();
                    assertThat(copies).as("COPYs before the load finished").hasSize(1);
                    load.finish();
                    assertThat(copies).hasSize(2);
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM stage")) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(i);
                        assertThat(rs.getLong(2)).isEqualTo(i);
                    }
                }
                c.rollback();
            }
            assertThat(s3.keys("early", "")).as("objects left").isEmpty();
        } finally {
            copier.shutdownNow();
        }
    }

    private static S3Staging.Builder staging(S3Server s3, String bucket) {
        return S3Staging.builder()
                .bucket(bucket)
                .endpoint(s3.endpoint())
                .credentials(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                .iamRole("arn:aws:iam::123456789012:role/redshift-load");
    }

    private static int load(Connection c, S3Staging config, S3Objects objects, int rows) throws Exception {
        try (S3Load load = new S3Load(c, "stage", COLUMNS, config, objects, "p/", 4, null)) {
            for (int i = 0; i < rows; i++) {
                load.add(new String[] {Integer.toString(i), "row " + i + " " + "n".repeat(80)});
            }
            load.finish();
            return load.filesCopied();
        }
    }
}
