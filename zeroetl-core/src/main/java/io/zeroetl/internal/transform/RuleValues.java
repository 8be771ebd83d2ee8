package io.zeroetl.internal.transform;

import io.zeroetl.ZeroEtlException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/** The checks of {@link io.zeroetl.TableRules}' builder and its ready-made conversions. */
public final class RuleValues {
    private RuleValues() {}

    /**
     * A column name given to an option, checked.
     *
     * @param name the name
     * @param option the option, for the message
     * @return the name
     */
    public static String name(String name, String option) {
        Objects.requireNonNull(name, option);
        if (name.isEmpty()) {
            throw ZeroEtlException.configuration(option, "a name must not be empty");
        }
        return name;
    }

    /**
     * A timestamp's date (a timestamp with time zone taken in UTC); other values as they are.
     *
     * @param value the value
     * @return its date
     */
    public static Object toDate(Object value) {
        if (value instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        }
        if (value instanceof LocalDate d) {
            return d;
        }
        return value;
    }
}
