package io.zeroetl.change;

import java.util.Objects;

/**
 * A value the source sent that its decoder could not read (a malformed or unexpected text form). It stands
 * in the row instead of failing the whole stream: the target treats it as a value it cannot store, so the
 * table's value policy decides (fail the table with this reason, or store NULL and record it) — never a
 * silent change.
 *
 * @param text the value as the source sent it
 * @param reason why it could not be read
 */
public record UnreadableValue(String text, String reason) {
    /**
     * Checks that nothing is null.
     *
     * @param text the value as the source sent it
     * @param reason why it could not be read
     */
    public UnreadableValue {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(reason, "reason");
    }
}
