package io.zeroetl;

import java.util.Locale;
import java.util.Objects;

/**
 * How target table and column names are derived from source names, after any explicit rename:
 * optionally lower-cased, with a prefix and a suffix on table names.
 *
 * <pre>{@code
 * ZeroEtl.from(source).to(target).tables("public.Orders").naming(Naming.lowerCase().tablePrefix("src_"))
 * // public.Orders lands as public.src_orders
 * }</pre>
 *
 * @param lowerCased whether table and column names are lower-cased
 * @param tablePrefix put before every target table name
 * @param tableSuffix put after every target table name
 */
public record Naming(boolean lowerCased, String tablePrefix, String tableSuffix) {
    /** Names kept as they are. */
    public static final Naming AS_IS = new Naming(false, "", "");

    /**
     * Checks the parts.
     *
     * @param lowerCased whether table and column names are lower-cased
     * @param tablePrefix put before every target table name
     * @param tableSuffix put after every target table name
     */
    public Naming {
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        Objects.requireNonNull(tableSuffix, "tableSuffix");
    }

    /**
     * Names lower-cased.
     *
     * @return this builder
     */
    public static Naming lowerCase() {
        return new Naming(true, "", "");
    }

    /**
     * This policy with {@code prefix} before table names.
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Naming tablePrefix(String prefix) {
        return new Naming(lowerCased, prefix, tableSuffix);
    }

    /**
     * This policy with {@code suffix} after table names.
     *
     * @param suffix the suffix
     * @return this builder
     */
    public Naming tableSuffix(String suffix) {
        return new Naming(lowerCased, tablePrefix, suffix);
    }

    /**
     * {@return the target name of a table called {@code name}}
     *
     * @param name the source table's name
     */
    public String table(String name) {
        return tablePrefix + fold(name) + tableSuffix;
    }

    /**
     * {@return the target name of a column called {@code name}}
     *
     * @param name the source column's name
     */
    public String column(String name) {
        return fold(name);
    }

    private String fold(String name) {
        return lowerCased ? name.toLowerCase(Locale.ROOT) : name;
    }
}
