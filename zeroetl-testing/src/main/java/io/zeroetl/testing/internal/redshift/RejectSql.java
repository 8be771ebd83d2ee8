package io.zeroetl.testing.internal.redshift;

/**
 * The statement sent to PostgreSQL in place of a rejected one: it raises the rejection's SQLSTATE and
 * message when executed, and still declares the original's parameters so the client's Bind fits.
 */
final class RejectSql {
    private RejectSql() {}

    static String of(Translation t, String original) {
        int params = 0;
        for (Token token : SqlLexer.lex(original)) {
            if (token.kind == Token.Kind.PARAM) {
                params = Math.max(params, Integer.parseInt(token.text.substring(1)));
            }
        }
        String call = "SELECT zeroetl_emulator.reject(" + literal(t.sqlState()) + ", " + literal(t.rejection()) + ")";
        if (params == 0) {
            return call;
        }
        StringBuilder select = new StringBuilder(" FROM (SELECT ");
        for (int i = 1; i <= params; i++) {
            select.append(i > 1 ? ", " : "").append('$').append(i).append("::text");
        }
        return call + select + ") AS zeroetl_params";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
