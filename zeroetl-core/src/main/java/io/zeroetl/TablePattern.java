package io.zeroetl;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A glob or regular expression over {@code schema.table}, for table selection. Immutable. */
final class TablePattern {
    private final String text;
    private final Pattern pattern;

    private TablePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static TablePattern of(String text, String option) {
        if (text == null || text.isEmpty()) {
            throw ZeroEtlException.configuration(option, "a pattern must not be empty");
        }
        try {
            if (text.length() > 2 && text.startsWith("/") && text.endsWith("/")) {
                return new TablePattern(text, Pattern.compile(text.substring(1, text.length() - 1)));
            }
            StringBuilder regex = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        regex.append('"');
                        i++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (!quoted && c == '*') {
                    regex.append(".*");
                } else if (!quoted && c == '?') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            if (quoted) {
                throw ZeroEtlException.configuration(option, "'" + text + "' has an unclosed quote");
            }
            return new TablePattern(text, Pattern.compile(regex.toString()));
        } catch (PatternSyntaxException e) {
            throw ZeroEtlException.configuration(
                    option, "'" + text + "' is not a valid pattern: " + e.getDescription());
        }
    }

    boolean matches(TableId table) {
        return pattern.matcher(table.schema() + "." + table.table()).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The tables a pipeline starts with: those {@code named}, those of {@code all} matching an include, less
     * those matching an exclude. {@code all} is asked only when there are includes.
     *
     * @throws ZeroEtlException when that leaves no table
     */
    static Set<TableId> selected(
            Set<TableId> named, List<TablePattern> includes, List<TablePattern> excludes, Supplier<List<TableId>> all) {
        Set<TableId> selected = new LinkedHashSet<>(named);
        if (!includes.isEmpty()) {
            all.get().stream()
                    .filter(t -> includes.stream().anyMatch(p -> p.matches(t)))
                    .forEach(selected::add);
        }
        selected.removeIf(t -> excludes.stream().anyMatch(p -> p.matches(t)));
        if (selected.isEmpty()) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION,
                    "tables: name at least one table to replicate, e.g. .tables(\"public.orders\")"
                            + (includes.isEmpty() ? "" : "; no source table matches " + includes));
        }
        return selected;
    }

    /**
     * {@code selected} less the partitions whose partitioned ancestor is selected too: their rows are replicated as
     * that table's. A partition and its ancestor both {@code named}: a configuration error, since one of the two
     * names would replicate nothing.
     *
     * @param ancestors for each partition among {@code selected}, its ancestors nearest first
     * @throws ZeroEtlException when both a partitioned table and one of its partitions are named
     */
    static Set<TableId> wholeTables(Set<TableId> selected, Set<TableId> named, Map<TableId, List<TableId>> ancestors) {
        Set<TableId> out = new LinkedHashSet<>(selected);
        ancestors.forEach((partition, chain) -> chain.stream()
                .filter(selected::contains)
                .findFirst()
                .ifPresent(parent -> {
                    if (named.contains(partition) && named.contains(parent)) {
                        throw ZeroEtlException.configuration(
                                "tables",
                                partition + " is a partition of " + parent + ", and both are named: name " + parent
                                        + " alone (its partitions' rows are replicated as its own) or its partitions"
                                        + " alone (each as a table)");
                    }
                    out.remove(partition);
                }));
        return out;
    }
}
