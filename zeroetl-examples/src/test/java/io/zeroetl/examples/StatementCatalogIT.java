package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.DeleteMode;
import io.zeroetl.Pipeline;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.DroppedTables;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Every statement the Redshift target, its schema following and validation send is a shape listed in
 * {@code zeroetl-redshift/SQL.md}, each with the AWS page that makes it valid. A broad workload runs through
 * the emulator — keyed, keyless, history and soft-delete tables, TOAST fills and key moves, every supported
 * DDL, rebuilds, a dropped and re-created table, a resync, value conversions, validation — and each
 * statement the emulator recorded must match one of the catalog's patterns: a new shape fails this test
 * until the catalog lists it with its page.
 */
class StatementCatalogIT {
    private static final Pattern ENTRY = Pattern.compile("```regex\\n(.*?)\\n```", Pattern.DOTALL);

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void everyStatementSentIsAShapeTheCatalogListsWithItsDocPage(String staging) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder().s3(s3).start()) {
            s3.createBucket("catalog-staging");
            S3Staging viaS3 = staging.equals("S3")
                    ? S3Staging.builder()
                            .bucket("catalog-staging")
                            .endpoint(s3.endpoint())
                            .credentials(StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                            .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                            .threshold(0)
                            .build()
                    : null;
            workload(pg, db, redshift, viaS3);
            if (viaS3 != null) {
                assertThat(redshift.statements())
                        .as("COPY ran")
                        .anySatisfy(s -> assertThat(s.sql()).startsWith("COPY"));
            }
            List<Pattern> catalog = catalog();
            Set<String> unlisted = new TreeSet<>();
            for (RecordedStatement s : redshift.statements()) {
                String sql = s.sql().strip();
                if (!sql.isEmpty()
                        && catalog.stream().noneMatch(p -> p.matcher(sql).matches())) {
                    unlisted.add(shape(sql));
                }
            }
            assertThat(unlisted)
                    .as("statement shapes SQL.md does not list (add each with its AWS page)")
                    .isEmpty();
            assertThat(redshift.rejectedStatements())
                    .as("statements the emulator rejected")
                    .isEmpty();
            assertThat(catalog).hasSizeGreaterThan(20);
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static void workload(EmbeddedPostgres pg, String db, RedshiftEmulator redshift, S3Staging s3)
            throws Exception {
        sql(
                pg,
                db,
                "CREATE TABLE orders (id int PRIMARY KEY, note text, qty int, oid int)",
                "ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL",
                "INSERT INTO orders SELECT g, repeat(md5(g::text), 100), g, g FROM generate_series(1, 20) g",
                "CREATE TABLE dups (a int, b text)",
                "ALTER TABLE dups REPLICA IDENTITY FULL",
                "INSERT INTO dups VALUES (1, 'x'), (1, 'x'), (2, NULL)",
                "CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(12,2), doc jsonb, tags text[])",
                "INSERT INTO accounts VALUES (1, 10, '{\"a\": 1}', '{x,y}'), (2, 20, NULL, NULL)",
                "CREATE TABLE items (id int PRIMARY KEY, name text, price float8)",
                "INSERT INTO items VALUES (1, 'a', 1.5), (2, 'b', 'NaN')",
                "CREATE TABLE gone (id int PRIMARY KEY, v text)",
                "INSERT INTO gone VALUES (1, 'a')",
                "CREATE TABLE docs (id int PRIMARY KEY, body text, pic bytea)",
                "INSERT INTO docs VALUES (1, '{\"k\": [1, 2]}', '\\x00ff')");
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .statusInterval(Duration.ofMillis(200))
                .build();
        RedshiftTarget.Builder builder = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .valuePolicy(ValuePolicy.SET_NULL)
                .droppedTables(DroppedTables.KEEP)
                .lockTables(true);
        RedshiftTarget target = (s3 == null ? builder : builder.s3Staging(s3)).build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders", "public.dups", "public.accounts", "public.items", "public.gone", "public.docs")
                .table("public.accounts", t -> t.deleteMode(DeleteMode.HISTORY))
                .table(
                        "public.items",
                        t -> t.deleteMode(DeleteMode.SOFT).metadataColumns().targetName("catalog_items"))
                .pipelineId("catalog")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60)))
                    .as("caught up")
                    .isTrue();
            // an analysts' group may read orders (given behind the emulator's back: only zeroetl's statements count);
            // the rebuild for its new key type below keeps that
            String group = "catalog_bi_" + Long.toHexString(System.nanoTime());
            try (Connection c = redshift.connectPostgres();
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + group + " NOLOGIN");
                s.execute("GRANT SELECT ON public.orders TO " + group);
            }
            sql(
                    pg,
                    db,
                    "UPDATE orders SET qty = qty + 1 WHERE id <= 5",
                    "BEGIN; UPDATE orders SET id = id + 100 WHERE id = 1; UPDATE orders SET id = id + 100 WHERE id = 101;"
                            + " COMMIT",
                    "DELETE FROM orders WHERE id = 2",
                    "DELETE FROM dups WHERE ctid = (SELECT min(ctid) FROM dups WHERE a = 1)",
                    "UPDATE dups SET b = 'z' WHERE a = 2",
                    "INSERT INTO dups VALUES (3, 'w')",
                    "UPDATE accounts SET balance = balance + 1",
                    "DELETE FROM accounts WHERE id = 2",
                    "UPDATE items SET price = 2.5 WHERE id = 1",
                    "DELETE FROM items WHERE id = 2",
                    "ALTER TABLE orders ADD COLUMN extra int",
                    "UPDATE orders SET extra = 1 WHERE id = 3",
                    "ALTER TABLE orders RENAME COLUMN extra TO extra2",
                    "UPDATE orders SET extra2 = 2 WHERE id = 3",
                    "ALTER TABLE orders ALTER COLUMN qty TYPE bigint",
                    "UPDATE orders SET qty = 5000000000 WHERE id = 3",
                    "ALTER TABLE orders DROP COLUMN extra2",
                    "UPDATE orders SET qty = 1 WHERE id = 4",
                    "ALTER TABLE docs ALTER COLUMN body TYPE jsonb USING body::jsonb",
                    "INSERT INTO docs VALUES (2, '{\"k\": 3}', NULL)",
                    // values over a VARCHAR's 65,535 bytes: a VARBYTE bound in pieces, a document COPY carries
                    "INSERT INTO docs VALUES (3, NULL, decode(repeat('ab', 100000), 'hex'))",
                    "INSERT INTO docs VALUES (4, (SELECT jsonb_agg('v' || g) FROM generate_series(1, 20000) g), NULL)",
                    "ALTER TABLE orders ADD COLUMN filled int DEFAULT 7",
                    "ALTER TABLE orders ALTER COLUMN id TYPE bigint",
                    "INSERT INTO orders (id, note, qty) VALUES" + " (9000000000, 'big', 1)",
                    "TRUNCATE accounts",
                    "TRUNCATE items",
                    "INSERT INTO items VALUES (3, 'c', 3)",
                    "TRUNCATE dups",
                    "INSERT INTO dups VALUES (5, 'v')",
                    "DROP TABLE gone",
                    "CREATE TABLE gone (id bigint PRIMARY KEY, v text)",
                    "INSERT INTO gone VALUES (5000000000, 'back')");
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60)))
                    .as("caught up")
                    .isTrue();
            await(
                    "the table created again to be copied",
                    () -> pipeline.status()
                            .table(io.zeroetl.TableId.of("public", "gone"))
                            .map(t -> t.state() == io.zeroetl.TableState.SYNCED)
                            .orElse(false));
            pipeline.resync("public.dups");
            await(
                    "the resync",
                    () -> pipeline.status()
                            .table(io.zeroetl.TableId.of("public", "dups"))
                            .map(t -> t.state() == io.zeroetl.TableState.SYNCED)
                            .orElse(false));
            try (Connection c = redshift.connectPostgres();
                    Statement s = c.createStatement()) {
                assertThat(s.executeQuery("SELECT has_table_privilege('" + group + "', 'public.orders', 'SELECT')")
                                .next())
                        .isTrue();
                s.execute("DROP OWNED BY " + group);
                s.execute("DROP ROLE " + group);
            }
            ValidationReport report = pipeline.validate();
            assertThat(report.table("public.orders").outcome()).isEqualTo(io.zeroetl.TableValidation.Outcome.CLEAN);
            assertThat(report.table("public.dups").outcome()).isEqualTo(io.zeroetl.TableValidation.Outcome.CLEAN);
            assertThat(report.table("public.docs").outcome()).isEqualTo(io.zeroetl.TableValidation.Outcome.CLEAN);
        }
    }

    /** The catalog's abbreviations (see SQL.md), longest first where one contains another. */
    private static final String[][] ABBREVIATIONS = {
        {"{qid}", "{id}\\.{id}"},
        {"{ids}", "{id}(?:, {id})*"},
        {
            "{staged}",
            "(?:{stage}|\\(SELECT zeroetl_seq, zeroetl_op, zeroetl_unchanged(?:, v\\d+ AS c\\d+)* FROM {stage} WHERE"
                    + " zeroetl_part = \\d+\\) AS {stage})"
        },
        {"{stage}", "\"zeroetl_stage_\\d+(?:_[a-z]+)?\""},
        {"{cols}", "c\\d+(?:, c\\d+)*"},
        {
            "{value}",
            "(?:\\$\\d+|CAST\\(\\$\\d+ AS {type}\\)|JSON_PARSE\\(\\$\\d+\\)|TO_VARBYTE\\(\\$\\d+, 'hex'\\)"
                    + "|\\(TO_VARBYTE\\(\\$\\d+, 'hex'\\)(?: \\|\\| TO_VARBYTE\\(\\$\\d+, 'hex'\\))+\\))"
        },
        {
            "{type}",
            "(?:SMALLINT|INTEGER|BIGINT|REAL|DOUBLE PRECISION|BOOLEAN|DECIMAL\\(\\d+,\\d+\\)|VARCHAR\\(\\d+\\)"
                    + "|CHAR\\(\\d+\\)|DATE|TIME|TIMETZ|TIMESTAMP|TIMESTAMPTZ|SUPER|VARBYTE\\(\\d+\\))"
        },
        {"{id}", "\"(?:[^\"]|\"\")+\""},
        {"{p}", "\\$\\d+"},
        {"{n}", "-?\\d+"},
        {"{s}", "'(?:[^']|'')*'"},
        {"{any}", ".*?"}
    };

    /** The catalog's patterns: each fenced {@code regex} block of SQL.md, abbreviations expanded. */
    static List<Pattern> catalog() throws Exception {
        String md = Files.readString(Path.of("..", "zeroetl-redshift", "SQL.md"), StandardCharsets.UTF_8);
        List<Pattern> patterns = new ArrayList<>();
        Matcher m = ENTRY.matcher(md);
        while (m.find()) {
            String regex = m.group(1).strip();
            for (String[] a : ABBREVIATIONS) {
                regex = regex.replace(a[0], a[1]);
            }
            for (String[] a : ABBREVIATIONS) {
                regex = regex.replace(a[0], a[1]);
            }
            patterns.add(Pattern.compile(regex, Pattern.DOTALL));
        }
        return patterns;
    }

    /** A statement with its names, literals and numbers blanked, to show a shape the catalog lacks. */
    static String shape(String sql) {
        return sql.replaceAll("\"(?:[^\"]|\"\")*\"", "\"…\"")
                .replaceAll("'(?:[^'\\\\]|''|\\\\.)*'", "'…'")
                .replaceAll("\\b\\d+\\b", "N")
                .replaceAll("\\s+", " ");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static String list(Set<String> shapes) {
        return shapes.stream().collect(Collectors.joining("\n"));
    }
}
