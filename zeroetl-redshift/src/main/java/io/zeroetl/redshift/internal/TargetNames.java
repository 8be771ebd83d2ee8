package io.zeroetl.redshift.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Target column names. PostgreSQL's system column names ({@code oid}, {@code tableoid}, {@code xmin},
 * {@code cmin}, {@code xmax}, {@code cmax}, {@code ctid}) cannot name user columns in Redshift
 * (c_unsupported-postgresql-features), though PostgreSQL 12+ allows {@code oid}: such a column lands as
 * its name with {@code _} appended, and more underscores while that name is taken by another column of
 * the table. The rule depends only on the table's column names, so the applier and validation agree.
 */
public final class TargetNames {
    private static final Set<String> RESERVED = Set.of("oid", "tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

    private TargetNames() {}

    /** The target name of each of {@code names} (a table's columns, in order). */
    public static List<String> columns(List<String> names) {
        Set<String> taken = new HashSet<>(names);
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            if (!RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(name);
                continue;
            }
            String renamed = name + "_";
            while (taken.contains(renamed)) {
                renamed += "_";
            }
            taken.add(renamed);
            out.add(renamed);
        }
        return out;
    }

    /** Whether Redshift refuses {@code name} as a column name. */
    public static boolean reserved(String name) {
        return RESERVED.contains(name.toLowerCase(Locale.ROOT));
    }
}
