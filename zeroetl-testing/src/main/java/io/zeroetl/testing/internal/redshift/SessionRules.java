package io.zeroetl.testing.internal.redshift;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Statements about the session rather than data: the case-sensitivity setting (kept by the proxy, as
 * PostgreSQL has no such setting), and the transaction and COPY forms Redshift lacks.
 */
final class SessionRules {
    private static final String SETTING = "enable_case_sensitive_identifier";
    /**
     * Redshift's boolean session settings PostgreSQL lacks, kept as placeholder settings the emulator's
     * functions read: case-sensitive identifiers (r_enable_case_sensitive_identifier) and JSON_PARSE's
     * parsing options (super-configurations).
     */
    private static final Set<String> SETTINGS =
            Set.of(SETTING, "json_parse_dedup_attributes", "json_parse_truncate_strings");

    private SessionRules() {}

    /** A translation when the statement is one of these, else null. */
    static Translation translate(List<Token> sig, SqlTranslator.Context context) {
        Token first = sig.get(0);
        if (first.is("SAVEPOINT")
                || first.is("RELEASE")
                || first.is("ROLLBACK") && (Sig.is(sig, 1, "TO") || Sig.is(sig, 2, "TO"))) {
            throw Rejected.syntax(first.upper().equals("ROLLBACK") ? "TO" : first.text, "Redshift has no savepoints");
        }
        if (first.is("COPY")) {
            String text = Sig.upper(sig, 0, sig.size());
            if (text.contains("STDIN") || text.contains("STDOUT")) {
                throw Rejected.unsupported("COPY from STDIN or to STDOUT is not supported: Redshift's COPY loads from"
                        + " Amazon S3, DynamoDB, EMR or SSH");
            }
            return context.copy().apply(sig);
        }
        if (first.is("SET") || first.is("RESET") || first.is("SHOW")) {
            int name = Sig.is(sig, 1, "SESSION") || Sig.is(sig, 1, "LOCAL") ? 2 : 1;
            String setting = name < sig.size() ? sig.get(name).text.toLowerCase(Locale.ROOT) : "";
            if (!SETTINGS.contains(setting)) {
                return null;
            }
            String shadow = "zeroetl_emulator." + setting;
            Boolean caseSensitive = setting.equals(SETTING) ? Boolean.FALSE : null;
            if (first.is("SHOW")) {
                return Translation.of("SHOW " + shadow);
            }
            if (first.is("RESET")) {
                return new Translation("RESET " + shadow, null, null, false, caseSensitive);
            }
            int value = name + 1;
            if (Sig.is(sig, value, "TO") || Sig.isSymbol(sig, value, "=")) {
                value++;
            }
            if (value >= sig.size()) {
                throw Rejected.syntax("end of input", "SET " + setting + " needs a value");
            }
            String v = sig.get(value).kind == Token.Kind.STRING
                    ? sig.get(value).text.replace("'", "")
                    : sig.get(value).text;
            boolean on = switch (v.toLowerCase()) {
                case "true", "on", "1", "yes" -> true;
                case "false", "off", "0", "no" -> false;
                default ->
                    throw new Rejected(
                            Rejected.INTERNAL, "invalid value for parameter \"" + setting + "\": \"" + v + "\"");
            };
            return new Translation(
                    "SET " + shadow + " = '" + on + "'",
                    null,
                    null,
                    false,
                    setting.equals(SETTING) ? Boolean.valueOf(on) : null);
        }
        return null;
    }
}
