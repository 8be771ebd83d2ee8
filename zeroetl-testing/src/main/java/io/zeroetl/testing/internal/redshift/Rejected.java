package io.zeroetl.testing.internal.redshift;

/**
 * A statement Redshift would refuse: carries the SQLSTATE and message the emulator answers with.
 * Thrown inside the translator only.
 */
final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Redshift answers statements it cannot parse with a syntax error. */
    static final String SYNTAX = "42601";
    /** ... and recognised but unsupported features with this one. */
    static final String NOT_SUPPORTED = "0A000";
    /** Other errors Redshift raises as internal errors. */
    static final String INTERNAL = "XX000";

    static final String INVALID_NAME = "42602";
    static final String UNDEFINED_TYPE = "42704";

    final String sqlState;

    Rejected(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    static Rejected syntax(String nearWord, String why) {
        return new Rejected(SYNTAX, "syntax error at or near \"" + nearWord + "\" (" + why + ")");
    }

    static Rejected unsupported(String message) {
        return new Rejected(NOT_SUPPORTED, message);
    }
}
