package io.zeroetl.redshift.internal;

/**
 * What one staged row version does, stored as one character in the staging table's {@code zeroetl_op}
 * column (decoded here, once).
 */
enum StagedOp {
    /** An insert or the new version of an update: the key's row becomes this. */
    UPSERT('U'),
    /** A delete: the key's row goes. */
    DELETE('D'),
    /** The old key of a key move whose new row did not resend some values: goes, lending them to {@link #MOVE_IN}. */
    MOVE_OUT('M'),
    /** The new key of such a move: takes the values it lacks from the {@link #MOVE_OUT} just before it. */
    MOVE_IN('V'),
    /** Keyless tables: one more copy of this row. */
    ADD('A'),
    /** Keyless tables: one copy fewer of this row. */
    REMOVE('R');

    final char code;

    StagedOp(char code) {
        this.code = code;
    }

    /** Whether the version is a row the target should hold (when it is a key's last). */
    boolean lands() {
        return this == UPSERT || this == MOVE_IN || this == ADD;
    }

    /** SQL {@code IN} list of the codes of the versions that land on keyed tables. */
    static String landingCodes() {
        return "('" + UPSERT.code + "', '" + MOVE_IN.code + "')";
    }

    /** The code as an SQL literal. */
    String literal() {
        return "'" + code + "'";
    }
}
