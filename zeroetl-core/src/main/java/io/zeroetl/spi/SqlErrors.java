package io.zeroetl.spi;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.ZeroEtlException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Classifies JDBC errors into zeroetl's error codes, so every part treats them alike. This class knows
 * only what the SQL standard and JDBC say: SQLSTATE class 08 (connection exception) and
 * {@link SQLRecoverableException} are retriable connection failures, 40001 (serialization failure) a
 * retriable conflict, {@link SQLTransientException} a retriable timeout, class 28 (invalid authorization)
 * an authentication failure and class 42 (syntax error or access rule violation) a rejected statement.
 * What a server says beyond the standard (its own codes, a driver's message) its technology module
 * supplies as a {@link Dialect}.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /** A server's own words for errors, beyond the SQL standard's classes. */
    public interface Dialect {
        /**
         * {@return the error code for {@code e}, or null when the standard classes decide}
         *
         * @param e the driver's error
         */
        ErrorCode codeOf(SQLException e);

        /**
         * {@return what the user should do about an error of {@code code}, as a sentence, or null for the
         * standard advice}
         *
         * @param code the classified error's code
         */
        default String advice(ErrorCode code) {
            return null;
        }
    }

    /** {@return a dialect that knows nothing yet: add a server's rules to it} */
    public static Rules rules() {
        return new Rules(List.of(), Map.of());
    }

    /**
     * A {@link Dialect} made of rules, tried in order: the first that matches decides. Immutable; each method
     * returns a new dialect with one more rule.
     */
    public static final class Rules implements Dialect {
        private final List<Map.Entry<Predicate<SQLException>, ErrorCode>> rules;
        private final Map<ErrorCode, String> advice;

        private Rules(List<Map.Entry<Predicate<SQLException>, ErrorCode>> rules, Map<ErrorCode, String> advice) {
            this.rules = rules;
            this.advice = advice;
        }

        /**
         * {@return these rules and: an SQLSTATE equal to {@code state}, or starting with it when it ends in
         * {@code *}, means {@code code}}
         *
         * @param state an SQLSTATE, or a prefix followed by {@code *}
         * @param code what it means
         */
        public Rules state(String state, ErrorCode code) {
            boolean prefix = state.endsWith("*");
            String s = prefix ? state.substring(0, state.length() - 1) : state;
            return with(
                    e -> e.getSQLState() != null
                            && (prefix
                                    ? e.getSQLState().startsWith(s)
                                    : e.getSQLState().equals(s)),
                    code);
        }

        /**
         * {@return these rules and: a message holding every one of {@code words} (case aside) means {@code code}}
         *
         * @param code what it means
         * @param words what the message holds
         */
        public Rules message(ErrorCode code, String... words) {
            List<String> all =
                    Arrays.stream(words).map(w -> w.toLowerCase(Locale.ROOT)).toList();
            return with(
                    e -> e.getMessage() != null
                            && all.stream().allMatch(e.getMessage().toLowerCase(Locale.ROOT)::contains),
                    code);
        }

        /**
         * {@return these rules and what to tell the user about errors of {@code code}}
         *
         * @param code the error code
         * @param sentence what to do, as a sentence
         */
        public Rules advice(ErrorCode code, String sentence) {
            Map<ErrorCode, String> more = new EnumMap<>(ErrorCode.class);
            more.putAll(advice);
            more.put(code, sentence);
            return new Rules(rules, Map.copyOf(more));
        }

        private Rules with(Predicate<SQLException> test, ErrorCode code) {
            List<Map.Entry<Predicate<SQLException>, ErrorCode>> more = new ArrayList<>(rules);
            more.add(Map.entry(test, code));
            return new Rules(List.copyOf(more), advice);
        }

        @Override
        public ErrorCode codeOf(SQLException e) {
            return rules.stream()
                    .filter(r -> r.getKey().test(e))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String advice(ErrorCode code) {
            return advice.get(code);
        }
    }

    /**
     * A {@link ZeroEtlException} (a {@link RetriableException} when transient) for {@code e}, raised
     * while doing {@code what} (e.g. "loading the batch into the staging table").
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     * @param dialect the server's own error codes
     * @return the classified exception, to throw
     */
    public static ZeroEtlException classify(String what, SQLException e, Dialect dialect) {
        ErrorCode code = codeOf(e, dialect);
        String advice = dialect.advice(code);
        String message = "Failed " + what + ": " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")")
                + (advice == null ? advice(code) : ". " + advice);
        return code.retriable() ? new RetriableException(code, message, e) : new ZeroEtlException(code, message, e);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     * @param dialect the server's own error codes
     */
    public static ErrorCode codeOf(SQLException e, Dialect dialect) {
        ErrorCode own = dialect.codeOf(e);
        if (own != null) {
            return own;
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || e instanceof SQLRecoverableException) {
            return ErrorCode.CONNECTION;
        }
        if (state.equals("40001")) {
            return ErrorCode.SERIALIZATION_CONFLICT;
        }
        if (e instanceof SQLTransientException) {
            return ErrorCode.TIMEOUT;
        }
        if (state.startsWith("28")) {
            return ErrorCode.AUTHENTICATION;
        }
        if (state.startsWith("42")) {
            return ErrorCode.SQL_REJECTED;
        }
        return ErrorCode.INTERNAL;
    }

    private static String advice(ErrorCode code) {
        switch (code) {
            case AUTHENTICATION:
                return ". Check the user and password configured for this server.";
            case PERMISSION:
                return ". Grant the missing privilege to the configured user.";
            case SQL_REJECTED:
                return ". The server rejected a statement zeroetl sent: please report it.";
            case CONFIGURATION:
                return ". Check the connection settings.";
            default:
                return code.retriable() ? "; retrying." : ".";
        }
    }
}
