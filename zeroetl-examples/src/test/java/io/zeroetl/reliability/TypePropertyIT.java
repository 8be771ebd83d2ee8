package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.RowDifference;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * For each type of the README's mapping table, random values (NULLs, NULL elements, empty arrays, quotes,
 * Unicode, extreme numbers) are replicated and validated: validation must find every table CLEAN, as a
 * false mismatch is a bug of the mapping or of a canonical form. A mismatch shows both sides' values of
 * the first differing row, so the failure says which side disagrees. Random values are seeded: rerun a
 * failure with {@code -Dzeroetl.seed=<seed>}.
 */
class TypePropertyIT {
    private static final int VALUES = Scale.of(40, 1000);

    /** Types beyond the generator's: each with its random literal. */
    private static final List<GenType> MORE = List.of(
            new GenType("oid[]", r -> "'{" + (r.nextLong() & 0xFFFFFFFFL) + ",3,NULL}'", false, false),
            new GenType("json[]", r -> "ARRAY['{\"a\":  1, \"a\": " + r.nextInt(9) + "}', '[]']::json[]", false, false),
            new GenType(
                    "hstore[]",
                    r -> "ARRAY['\"key" + r.nextInt(9) + "\"=>\"val\", \"k\"=>NULL', 'a=>b']::hstore[]",
                    false,
                    false),
            new GenType("hstore", r -> "'\"k" + r.nextInt(9) + "\"=>\"it''s\"'::hstore", false, false),
            new GenType("inet[]", r -> "'{10.0.0." + r.nextInt(256) + ",10.0.0.0/24}'", false, false),
            new GenType("cidr", r -> "'10." + r.nextInt(256) + ".0.0/16'", false, false),
            new GenType("macaddr", r -> "'08:00:2b:01:02:0" + r.nextInt(10) + "'", false, false),
            new GenType("timetz", r -> "'12:0" + r.nextInt(10) + ":00+05:30'", false, false),
            new GenType("date[]", r -> "'{2024-01-0" + (1 + r.nextInt(9)) + ",NULL}'", false, false),
            new GenType(
                    "timestamp[]", r -> "ARRAY['2024-01-01 10:00:0" + r.nextInt(10) + "'::timestamp]", false, false),
            new GenType("numeric[]", r -> "'{1.50," + r.nextInt() + ",NULL}'", false, false),
            new GenType("float8[]", r -> "'{0.1,1e300," + r.nextGaussian() + "}'", false, false),
            new GenType("bool[]", r -> "'{t,f,NULL}'", false, false),
            new GenType("int[]", r -> "'{}'", false, false),
            new GenType("int[]", r -> "'{{1,2},{3," + r.nextInt() + "}}'", false, false),
            new GenType("bit(4)", r -> "B'10" + r.nextInt(2) + "1'", false, false),
            new GenType("xml", r -> "'<a>" + r.nextInt() + "</a>'", false, false),
            new GenType("int4range", r -> "'[1," + (2 + r.nextInt(9)) + ")'", false, false),
            new GenType("point", r -> "'(" + r.nextInt(9) + ",2.5)'", false, false),
            new GenType("pg_lsn", r -> "'16/B374D84" + r.nextInt(10) + "'", false, false));

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void randomValuesOfEveryMappedTypeValidateClean(String staging) throws Exception {
        long seed = Long.getLong("zeroetl.seed", new SecureRandom().nextLong());
        Random r = new Random(seed);
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        List<GenType> types = new ArrayList<>(GenType.ALL);
        types.addAll(MORE);
        List<String> tables = new ArrayList<>();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder().s3(s3).start()) {
            s3.createBucket("types");
            sql(pg, db, "CREATE EXTENSION IF NOT EXISTS hstore");
            for (String setup : GenType.SETUP) {
                sql(pg, db, setup);
            }
            for (int i = 0; i < types.size(); i++) {
                String table = "t" + i;
                tables.add("public." + table);
                sql(
                        pg,
                        db,
                        "CREATE TABLE " + table + " (id int PRIMARY KEY, v "
                                + types.get(i).sql() + ")");
                StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
                for (int v = 0; v < VALUES; v++) {
                    insert.append(v == 0 ? "" : ", ")
                            .append('(')
                            .append(v)
                            .append(", ")
                            .append(v == 0 ? "NULL" : types.get(i).literal().apply(r))
                            .append(')');
                }
                sql(pg, db, insert.toString());
            }
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            RedshiftTarget.Builder builder = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false);
            if (staging.equals("S3")) {
                // every value through a file and COPY, the copy's and the stream's
                builder.s3Staging(S3Staging.builder()
                        .bucket("types")
                        .endpoint(s3.endpoint())
                        .credentials(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                        .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                        .threshold(0)
                        .build());
            }
            RedshiftTarget target = builder.build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(target)
                    .tables(tables.toArray(String[]::new))
                    .pipelineId("types")
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                // and once more through the stream, not only the copy
                for (int i = 0; i < types.size(); i++) {
                    sql(
                            pg,
                            db,
                            "UPDATE t" + i + " SET v = "
                                    + types.get(i).literal().apply(r) + " WHERE id = 1");
                }
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                assertThat(pipeline.status().tables().values())
                        .as("no table failed (seed " + seed + ")")
                        .allSatisfy(t -> assertThat(t.reason()).isNull());
                ValidationReport report = pipeline.validate();
                List<String> mismatches = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    TableValidation v = report.table(tables.get(i));
                    if (v.outcome() != TableValidation.Outcome.CLEAN) {
                        mismatches.add(types.get(i).sql() + ": " + v.outcome() + " "
                                + sides(pg, db, redshift, "t" + i, v.differences()));
                    }
                }
                assertThat(mismatches)
                        .as("false mismatches (seed " + seed + ", rerun with -Dzeroetl.seed=" + seed + ")")
                        .isEmpty();
            }
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
        Results.record(
                "type properties",
                types.size() + " types x " + VALUES + " random values staged through " + staging
                        + ", validated clean (seed " + seed + ")");
    }

    /** The first differing row as each side holds it. */
    private static String sides(
            EmbeddedPostgres pg, String db, RedshiftEmulator redshift, String table, List<RowDifference> differences)
            throws SQLException {
        if (differences.isEmpty()) {
            return "(no row listed)";
        }
        String id = differences.get(0).key().values().iterator().next();
        String source;
        try (Connection c = pg.connect(db)) {
            source = first(c, "SELECT v::text FROM " + table + " WHERE id = " + id);
        }
        String target;
        try (Connection c = redshift.connect()) {
            target = first(c, "SELECT v FROM public." + table + " WHERE id = " + id);
        }
        return "id " + id + ": source " + source + " | target " + target + " (" + differences.get(0) + ")";
    }

    private static String first(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "(no row)";
        }
    }

    private static void sql(EmbeddedPostgres pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
