package io.zeroetl;

import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.internal.validation.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Compares a pipeline's target with its source: {@code ZeroEtl.validate(source, target).tables(...).run()}.
 *
 * <p>Row counts and an order-independent checksum are computed in SQL on each side; where they differ,
 * the tables are narrowed down bucket by bucket to the differing keys. The source side reads one snapshot
 * and the target side is read once the pipeline has applied everything that snapshot sees. A row that
 * differs because it changed again in between is checked again on fresh snapshots ({@link #rechecks(int)}),
 * so validating while writes go on reports only lasting differences. The pipeline must be running (or
 * caught up) for the target to reach the source's position.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #tables(String...)}</td><td>required</td></tr>
 *   <tr><td>{@link #pipelineId(String)}</td><td>{@code zeroetl}</td></tr>
 *   <tr><td>{@link #timeout(Duration)}</td><td>5 minutes (waiting for the target)</td></tr>
 *   <tr><td>{@link #maxDifferences(int)}</td><td>100 per table</td></tr>
 *   <tr><td>{@link #rechecks(int)}</td><td>3</td></tr>
 * </table>
 */
public final class ValidationBuilder {
    private final Source source;
    private final Target target;
    private final List<TableId> tables = new ArrayList<>();
    private String pipelineId = "zeroetl";
    private Duration timeout = Validator.DEFAULT_TIMEOUT;
    private int maxDifferences = Validator.DEFAULT_MAX_DIFFERENCES;
    private int rechecks = Validator.DEFAULT_RECHECKS;
    private final Map<TableId, TableRules> rules = new LinkedHashMap<>();
    private Naming naming = Naming.AS_IS;

    ValidationBuilder(Source source, Target target) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * The tables to compare, as {@code schema.table}.
     *
     * @param names the tables, e.g. {@code public.orders}
     * @return this builder
     */
    public ValidationBuilder tables(String... names) {
        for (String name : names) {
            try {
                tables.add(TableId.parse(name));
            } catch (IllegalArgumentException e) {
                throw ZeroEtlException.configuration("tables", e.getMessage());
            }
        }
        return this;
    }

    /**
     * The tables to compare.
     *
     * @param ids the tables
     * @return this builder
     */
    public ValidationBuilder tables(Collection<TableId> ids) {
        ids.forEach(id -> tables.add(Objects.requireNonNull(id, "tables: null table")));
        return this;
    }

    /**
     * The rules the pipeline shapes {@code table} with (as given to {@link PipelineBuilder#table}), so the
     * comparison follows them: target name, renamed and left-out columns; masked, hashed, converted and
     * computed columns are not compared; tables with a row filter or soft/history deletes are not compared.
     *
     * @param table the source table, {@code schema.table}
     * @param rules sets the table's rules
     * @return this builder
     */
    public ValidationBuilder table(String table, Consumer<TableRules.Builder> rules) {
        TableRules.Builder b = TableRules.builder();
        rules.accept(b);
        TableId id = TableId.parse(table);
        this.rules.put(id, b.build());
        if (!tables.contains(id)) {
            tables.add(id);
        }
        return this;
    }

    /**
     * The pipeline's naming policy.
     *
     * @param naming the naming policy
     * @return this builder
     */
    public ValidationBuilder naming(Naming naming) {
        this.naming = Objects.requireNonNull(naming, "naming");
        return this;
    }

    /**
     * The pipeline whose target position is waited for (its id as given to the pipeline builder).
     *
     * @param id the pipeline's id
     * @return this builder
     */
    public ValidationBuilder pipelineId(String id) {
        this.pipelineId = Objects.requireNonNull(id, "pipelineId");
        return this;
    }

    /**
     * How long to wait for the target to reach the source snapshot's position.
     *
     * @param timeout the longest wait (default 5 minutes)
     * @return this builder
     */
    public ValidationBuilder timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw ZeroEtlException.configuration("timeout", "must be positive");
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * At most this many differing rows are listed per table.
     *
     * @param rows the most differing rows listed (default 100)
     * @return this builder
     */
    public ValidationBuilder maxDifferences(int rows) {
        if (rows < 1) {
            throw ZeroEtlException.configuration("maxDifferences", "must be at least 1");
        }
        this.maxDifferences = rows;
        return this;
    }

    /**
     * How many times differing rows are checked again on fresh snapshots before they are reported.
     *
     * @param rounds rechecks (default 3)
     * @return this builder
     */
    public ValidationBuilder rechecks(int rounds) {
        if (rounds < 0) {
            throw ZeroEtlException.configuration("rechecks", "must not be negative");
        }
        this.rechecks = rounds;
        return this;
    }

    /**
     * Runs the validation.
     *
     * @return the report, one result per table
     * @throws ZeroEtlException with {@link ErrorCode#TIMEOUT} when the target did not reach the source's
     *     position in time, or the sides' own errors (connection, permission)
     */
    public ValidationReport run() {
        if (tables.isEmpty()) {
            throw ZeroEtlException.configuration("tables", "name at least one table to validate");
        }
        return new Validator(
                        source,
                        target,
                        pipelineId,
                        timeout,
                        maxDifferences,
                        rechecks,
                        new Transformer(rules, naming, List.of(), target::foldName))
                .run(List.copyOf(tables));
    }
}
