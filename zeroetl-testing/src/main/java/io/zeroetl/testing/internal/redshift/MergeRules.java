package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Redshift's MERGE: exactly one WHEN MATCHED (UPDATE or DELETE) and one WHEN NOT MATCHED (INSERT), no
 * AND conditions, no DO NOTHING, no target alias; or the simplified form {@code ... REMOVE DUPLICATES},
 * which PostgreSQL lacks and gets spelled out.
 */
final class MergeRules {
    private MergeRules() {}

    static String translate(List<Token> sig, SqlTranslator.Context context) {
        if (!Sig.is(sig, 1, "INTO")) {
            throw Rejected.syntax(sig.size() > 1 ? sig.get(1).text : "MERGE", "MERGE INTO expected");
        }
        int i = 3;
        while (Sig.isSymbol(sig, i, ".")) {
            i += 2;
        }
        String target = Sig.join(sig.subList(2, i));
        if (!Sig.is(sig, i, "USING")) {
            throw Rejected.syntax(sig.get(i).text, "Redshift's MERGE does not allow an alias for the target table");
        }
        int on = Checks.indexOfWord(sig, "ON", i);
        if (on < 0) {
            throw Rejected.syntax("MERGE", "MERGE needs USING ... ON");
        }
        int matched = 0;
        int notMatched = 0;
        for (int k = on; k < sig.size(); k++) {
            if (!sig.get(k).is("WHEN")) {
                continue;
            }
            int m = k + 1;
            boolean not = Sig.is(sig, m, "NOT");
            if (not) {
                m++;
            }
            if (!Sig.is(sig, m, "MATCHED")) {
                throw Rejected.syntax(sig.get(m).text, "WHEN [NOT] MATCHED expected");
            }
            if (Sig.is(sig, m + 1, "AND")) {
                throw Rejected.syntax("AND", "Redshift's MERGE allows no AND condition on WHEN [NOT] MATCHED");
            }
            if (Sig.is(sig, m + 2, "DO")) {
                throw Rejected.syntax("DO", "Redshift's MERGE has no DO NOTHING");
            }
            if (not) {
                notMatched++;
            } else {
                matched++;
            }
        }
        if (matched > 1 || notMatched > 1) {
            throw Rejected.syntax("WHEN", "Redshift's MERGE allows one WHEN MATCHED and one WHEN NOT MATCHED clause");
        }
        int remove = Checks.indexOfWord(sig, "REMOVE", on);
        if (remove > 0 && Sig.is(sig, remove + 1, "DUPLICATES")) {
            return removeDuplicates(sig, target, i, on, remove, context);
        }
        if (matched == 0 && notMatched == 0) {
            throw Rejected.syntax("MERGE", "MERGE needs WHEN clauses or REMOVE DUPLICATES");
        }
        return Sig.join(sig);
    }

    private static String removeDuplicates(
            List<Token> sig, String target, int using, int on, int remove, SqlTranslator.Context context) {
        List<Token> source = sig.subList(using + 1, on);
        String alias;
        if (source.size() >= 2 && source.get(source.size() - 2).is("AS")) {
            alias = source.get(source.size() - 1).text;
        } else if (source.get(0).isSymbol("(")) {
            alias = source.get(source.size() - 1).text;
        } else {
            alias = source.get(source.size() - 1).text;
        }
        List<String> columns = context.columns().apply(target);
        if (columns.isEmpty()) {
            throw new Rejected("42P01", "relation \"" + target + "\" does not exist");
        }
        List<String> quoted = new ArrayList<>();
        for (String c : columns) {
            quoted.add(Token.quoted(c).text);
        }
        String set = quoted.stream().map(c -> c + " = " + alias + "." + c).collect(Collectors.joining(", "));
        String values = quoted.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + target + " USING " + Sig.join(source) + " ON " + Sig.join(sig.subList(on + 1, remove))
                + " WHEN MATCHED THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", quoted)
                + ") VALUES (" + values + ")";
    }
}
