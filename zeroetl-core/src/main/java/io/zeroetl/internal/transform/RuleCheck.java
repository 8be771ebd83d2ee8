package io.zeroetl.internal.transform;

import io.zeroetl.Naming;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.TableSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** At start: every table's rules against the source's real columns, and no two tables landing in one. */
public final class RuleCheck {
    private RuleCheck() {}

    /**
     * Checks the rules of the {@code selected} tables, where the source can describe them.
     *
     * @param source describes the tables
     * @param rules rules per table
     * @param naming the naming policy
     * @param transformer the rules, compiled for the target
     * @param selected the selected tables
     * @return the selected tables with rules that the source does not have (a table's first name, renamed since, or
     *     a mistake: the engine tells them apart once it knows what the target recorded)
     * @throws ZeroEtlException naming the table whose rules do not fit
     */
    public static Set<TableId> check(
            Source source,
            Map<TableId, TableRules> rules,
            Naming naming,
            Transformer transformer,
            Set<TableId> selected) {
        if (rules.values().stream().allMatch(TableRules::isIdentity) && naming.equals(Naming.AS_IS)) {
            return Set.of();
        }
        Set<TableId> absent = new TreeSet<>();
        Map<TableId, TableId> targets = new LinkedHashMap<>();
        for (TableId table : selected) {
            TableId other = targets.put(transformer.foldedTargetOf(table), table);
            if (other != null) {
                throw ZeroEtlException.configuration(
                        "table",
                        other + " and " + table + " would both land in " + transformer.targetOf(table)
                                + " (the target takes their names for one); give one a targetName");
            }
            if (!source.describesTables()) {
                continue;
            }
            Optional<TableSchema> schema = source.describe(table);
            if (schema.isEmpty()) {
                if (rules.containsKey(table)) {
                    absent.add(table);
                }
                continue;
            }
            try {
                transformer.check(schema.get());
            } catch (IllegalArgumentException e) {
                throw ZeroEtlException.configuration("table", e.getMessage());
            }
        }
        return absent;
    }
}
