package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.change.TableSchema;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One side of a validation: digests of a table's rows computed in SQL where the rows are, inside one
 * consistent snapshot of that side, so that no table's data travels to the JVM except the rows of
 * buckets that differ.
 *
 * <p>Both sides hash the same <em>canonical text</em> of each value of the columns they are given (the
 * source's columns, by source type), so that a correct pipeline digests equal on both sides:
 * <ul>
 *   <li>column hash: the lower-case hex MD5 of the value's canonical text, or {@code n} for NULL;</li>
 *   <li>row text: the column hashes in column order, concatenated; key hash: the MD5 of the key
 *   columns' hashes concatenated;</li>
 *   <li>bucket: the first 8 hex digits of the key hash as an unsigned number, modulo the bucket count;</li>
 *   <li>bucket checksum: the sum over its rows of the first 15 hex digits of the MD5 of the row text.</li>
 * </ul>
 * Canonical texts: integers and decimals in plain decimal (decimals with their declared scale), floats
 * in their shortest exact form, booleans {@code t}/{@code f}, strings as they are (fixed-length ones
 * without trailing blanks), binary as lower-case hex, dates {@code YYYY-MM-DD AD}, timestamps
 * {@code YYYY-MM-DD HH24:MI:SS.US AD} (with time zone: in UTC), times as {@code HH:MI:SS[.ffffff]}
 * (with time zone: in UTC with its offset), intervals in ISO 8601, JSON documents and arrays as JSON with
 * whitespace removed.
 *
 * <p>A large value — binary over {@link #PIECE_BYTES} bytes, a JSON document or array whose compact
 * serialization (no blank after a comma or a colon outside strings) is over {@link #MAX_HASHED_BYTES} bytes in
 * UTF-8 — is hashed in pieces, as a target may hash no longer a text at once: its column hash is the MD5 of the
 * concatenated MD5s of the lower-case hex of each successive {@link #PIECE_BYTES}-byte piece of its bytes (the
 * binary value itself; the document's compact serialization).
 */
public interface RowDigests extends AutoCloseable {
    /** The longest text hashed at once: a VARCHAR's most bytes. */
    int MAX_HASHED_BYTES = 65_535;

    /** The bytes of each piece of a large value: their hex is a text of at most {@link #MAX_HASHED_BYTES}. */
    int PIECE_BYTES = 32_767;

    /**
     * {@return above how many bytes a value is large: a binary value's own bytes, or a document's serialization}
     *
     * @param binary whether the value is binary
     */
    static int largeBytes(boolean binary) {
        return binary ? PIECE_BYTES : MAX_HASHED_BYTES;
    }

    /** Row count and checksum of one bucket. */
    record Digest(long rows, BigInteger checksum) {
        /**
         * Checks the checksum.
         *
         * @param checksum the bucket's checksum, over its rows' hashes
         * @param rows how many rows the bucket holds
         */
        public Digest {
            Objects.requireNonNull(checksum, "checksum");
        }
    }

    /**
     * One row: its key hash, its key columns' canonical texts (null for NULL), and its row text (the
     * column hashes, 32 characters each or {@code n}).
     */
    record RowDigest(String keyHash, List<String> key, String rowText) {}

    /**
     * Ends the current snapshot (if any) and takes a new one; returns its position. For a source, the
     * target holds everything this snapshot sees once it has applied a position at or after the returned
     * one; for a target, a position it has applied (at least) when the snapshot its next reads see was taken.
     *
     * @return the position of the new snapshot
     */
    Lsn refresh();

    /**
     * {@return rows and checksum per non-empty bucket of {@code table}'s rows, hashed over its columns}
     *
     * @param table the table
     * @param buckets how many buckets the rows are spread over, by key hash
     */
    Map<Integer, Digest> buckets(TableSchema table, int buckets);

    /**
     * {@return the rows of {@code table} in {@code which} buckets (of {@code buckets})}
     *
     * @param table the table
     * @param buckets how many buckets the rows are spread over
     * @param which the buckets wanted
     */
    List<RowDigest> rows(TableSchema table, int buckets, Set<Integer> which);

    /**
     * {@return the rows of {@code table} whose key hashes are among {@code keyHashes}}
     *
     * @param table the table
     * @param keyHashes the key hashes wanted
     */
    List<RowDigest> rowsWithKeys(TableSchema table, Collection<String> keyHashes);

    /** Ends the snapshot and releases the connection. Idempotent. */
    @Override
    void close();
}
