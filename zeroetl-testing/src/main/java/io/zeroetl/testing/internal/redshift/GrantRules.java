package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;

/** How the emulator reads GRANT and REVOKE (r_GRANT, r_REVOKE). */
final class GrantRules {
    private GrantRules() {}

    /**
     * GRANT and REVOKE name a role as {@code ROLE name} (r_GRANT, r_REVOKE); PostgreSQL names any role by its name
     * alone. Users and groups are spelled alike in both.
     */
    static String grantees(List<Token> tokens) {
        List<Token> out = new ArrayList<>(tokens);
        for (int i = 0; i < out.size(); i++) {
            Token t = out.get(i);
            if (t.kind == Token.Kind.WORD && t.upper().equals("ROLE")) {
                int before = i - 1;
                while (before >= 0 && out.get(before).kind == Token.Kind.SPACE) {
                    before--;
                }
                if (before >= 0
                        && (out.get(before).upper().equals("TO")
                                || out.get(before).upper().equals("FROM")
                                || out.get(before).isSymbol(","))) {
                    out.set(i, Token.word(""));
                }
            }
        }
        return SqlTranslator.join(out, 0);
    }
}
