package io.zeroetl.testing.internal.redshift;

import java.util.List;

/**
 * Rejects, with a Redshift-like error, PostgreSQL features that Redshift does not have: found by looking
 * at the tokens, whatever the statement.
 */
final class Checks {
    private Checks() {}

    static void rejectUnsupported(List<Token> sig) {
        Token first = sig.get(0);
        if (first.is("CREATE")) {
            int i = 1;
            if (Sig.is(sig, i, "OR") && Sig.is(sig, i + 1, "REPLACE")) {
                i += 2;
            }
            if (Sig.is(sig, i, "CONSTRAINT")) {
                i++;
            }
            if (i < sig.size() && SqlTranslator.noCreate().contains(sig.get(i).upper())) {
                String what = sig.get(i).upper().equals("UNIQUE")
                        ? "INDEX"
                        : sig.get(i).upper();
                throw Rejected.unsupported("CREATE " + what + " is not supported by Redshift");
            }
        }
        if (first.is("WITH") && containsWord(sig, "MERGE")) {
            throw Rejected.syntax("MERGE", "Redshift's MERGE cannot have a WITH prefix");
        }
        for (int i = 0; i < sig.size(); i++) {
            Token t = sig.get(i);
            if (t.is("IS")
                    && (Sig.is(sig, i + 1, "DISTINCT")
                            || Sig.is(sig, i + 1, "NOT") && Sig.is(sig, i + 2, "DISTINCT"))) {
                throw Rejected.syntax("DISTINCT", "Redshift has no IS [NOT] DISTINCT FROM; compare with = and IS NULL");
            }
            if (t.is("ON") && Sig.is(sig, i + 1, "CONFLICT")) {
                throw Rejected.syntax(
                        "ON",
                        "Redshift has no INSERT ... ON CONFLICT; load a staging table and"
                                + " DELETE + INSERT or MERGE");
            }
            if (t.is("RETURNING") && !first.is("CREATE")) {
                throw Rejected.syntax("RETURNING", "Redshift has no RETURNING clause");
            }
            if (t.kind == Token.Kind.WORD
                    && Sig.isSymbol(sig, i + 1, "(")
                    && !Sig.isSymbol(sig, i - 1, ".")
                    && SqlTranslator.missingFunctions().contains(t.upper())) {
                throw new Rejected(
                        Rejected.UNDEFINED_TYPE,
                        "function " + SqlTranslator.lower(t.text) + " does not exist in Redshift");
            }
            if (t.is("ARRAY") && Sig.isSymbol(sig, i + 1, "[")) {
                throw Rejected.syntax("[", "Redshift has no array constructors");
            }
            if (t.isSymbol("(") && Sig.is(sig, i + 1, "VALUES")) {
                throw Rejected.syntax(
                        "VALUES",
                        "Redshift cannot use VALUES as a table; use a temporary table or" + " UNION ALL of SELECTs");
            }
        }
        if (first.is("UPDATE")) {
            int from = indexOfWord(sig, "FROM", 0);
            if (from > 0) {
                for (int i = from; i < sig.size(); i++) {
                    if (sig.get(i).is("WHERE")) {
                        break;
                    }
                    if ((sig.get(i).is("LEFT")
                                    || sig.get(i).is("RIGHT")
                                    || sig.get(i).is("FULL"))
                            && (Sig.is(sig, i + 1, "JOIN") || Sig.is(sig, i + 1, "OUTER"))) {
                        throw new Rejected(
                                Rejected.INTERNAL,
                                "Target table must be part of an equijoin predicate"
                                        + " (Redshift's UPDATE ... FROM cannot use an outer join)");
                    }
                }
            }
        }
    }

    static boolean containsWord(List<Token> sig, String word) {
        return indexOfWord(sig, word, 0) >= 0;
    }

    static int indexOfWord(List<Token> sig, String word, int from) {
        for (int i = from; i < sig.size(); i++) {
            if (sig.get(i).is(word)) {
                return i;
            }
        }
        return -1;
    }
}
