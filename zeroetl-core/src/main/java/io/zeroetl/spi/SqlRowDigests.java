package io.zeroetl.spi;

import io.zeroetl.change.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link RowDigests} over a JDBC connection, for a side that computes the digests in its own SQL: the side
 * writes its statements (which rows, which buckets, which keys), this class runs them and reads the results
 * the same way for every side. The rows statement yields {@code kh} (the key's hash), {@code k0..kn} (the key
 * columns' canonical texts) and {@code ch} (the row's text to hash), in that order.
 */
public abstract class SqlRowDigests implements RowDigests {
    /** Keys looked up per statement. */
    private static final int KEYS_PER_QUERY = 500;

    /** Creates the reader; the subclass opens its connection. */
    protected SqlRowDigests() {}

    /** {@return the connection the statements run on, inside the current snapshot} */
    protected abstract Connection connection();

    /**
     * The statement that reads every row of {@code table} as {@code kh, k0..kn, ch}.
     *
     * @param table the table as the pipeline replicates it
     * @return the statement, or null when this side holds no such table (nothing to compare)
     */
    protected abstract String rowsOf(TableSchema table);

    /**
     * The statement that reads, for each bucket of {@code rows}, the bucket, its row count and the sum of its
     * rows' 60-bit digests.
     *
     * @param rows the rows statement
     * @param buckets how many buckets
     * @return the statement
     */
    protected abstract String bucketsOf(String rows, int buckets);

    /**
     * The statement that reads the rows of {@code rows} in the buckets listed.
     *
     * @param rows the rows statement
     * @param buckets how many buckets
     * @param which the buckets, as a comma-separated list
     * @return the statement
     */
    protected abstract String inBuckets(String rows, int buckets, String which);

    /**
     * The statement that reads the rows of {@code rows} whose key hash is one of the parameters.
     *
     * @param rows the rows statement
     * @param parameters the parameter markers, comma-separated
     * @return the statement
     */
    protected abstract String withKeys(String rows, String parameters);

    /**
     * The exception for a failed statement.
     *
     * @param doing what was being done, e.g. "digesting public.orders"
     * @param e the driver's error
     * @return the exception to throw
     */
    protected abstract RuntimeException failure(String doing, SQLException e);

    @Override
    public final Map<Integer, Digest> buckets(TableSchema table, int buckets) {
        Map<Integer, Digest> out = new HashMap<>();
        String rows = rowsOf(table);
        if (rows == null) {
            return out;
        }
        try (Statement s = connection().createStatement();
                ResultSet rs = s.executeQuery(bucketsOf(rows, buckets))) {
            while (rs.next()) {
                out.put(
                        rs.getInt(1),
                        new Digest(rs.getLong(2), rs.getBigDecimal(3).toBigIntegerExact()));
            }
        } catch (SQLException e) {
            throw failure("digesting " + table.table(), e);
        }
        return out;
    }

    @Override
    public final List<RowDigest> rows(TableSchema table, int buckets, Set<Integer> which) {
        String rows = which.isEmpty() ? null : rowsOf(table);
        if (rows == null) {
            return List.of();
        }
        String list = which.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return read(table, inBuckets(rows, buckets, list), List.of());
    }

    @Override
    public final List<RowDigest> rowsWithKeys(TableSchema table, Collection<String> keyHashes) {
        String rows = keyHashes.isEmpty() ? null : rowsOf(table);
        if (rows == null) {
            return List.of();
        }
        List<RowDigest> out = new ArrayList<>();
        List<String> all = new ArrayList<>(keyHashes);
        for (int i = 0; i < all.size(); i += KEYS_PER_QUERY) {
            List<String> slice = all.subList(i, Math.min(all.size(), i + KEYS_PER_QUERY));
            out.addAll(
                    read(table, withKeys(rows, slice.stream().map(k -> "?").collect(Collectors.joining(", "))), slice));
        }
        return out;
    }

    private List<RowDigest> read(TableSchema table, String sql, List<String> params) {
        int keys = table.keyColumns().size();
        List<RowDigest> out = new ArrayList<>();
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        key.add(rs.getString(2 + k));
                    }
                    out.add(new RowDigest(rs.getString(1), key, rs.getString(2 + keys)));
                }
            }
        } catch (SQLException e) {
            throw failure("reading rows of " + table.table(), e);
        }
        return out;
    }
}
