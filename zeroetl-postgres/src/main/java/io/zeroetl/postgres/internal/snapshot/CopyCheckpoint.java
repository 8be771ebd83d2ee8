package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.Lsn;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a table's copy in parts stands, as the target keeps it with the table: the target holds exactly the
 * rows the table had at {@code point} in its first {@code chunksDone} block ranges of {@code blocksPerChunk}
 * blocks each, of the table's file {@code fileNode}, with the columns {@code layout} fingerprints.
 *
 * <p>That is what makes a resume exact. A row nobody changed keeps its place (block and line) and its content
 * until the table's file is replaced (TRUNCATE, VACUUM FULL, CLUSTER, a rewriting ALTER TABLE: a new file node);
 * so the same file still holds the same rows in those ranges except the rows changed since {@code point}, which
 * the stream names by key ({@link CopyResumption}): deleting those keys in the target, reading those rows again
 * where they now lie in the ranges, and copying the ranges after them from a later snapshot gives the whole
 * table as of that snapshot. Where any of that cannot be told, the table is copied again whole.
 *
 * @param point where the copy's snapshot stands in the source's log
 * @param fileNode the table's file node in that snapshot
 * @param blocksPerChunk the size of each block range
 * @param chunksDone how many ranges, from the first block, the target holds
 * @param rows how many rows those ranges held
 * @param layout a fingerprint of the table's columns as copied
 */
record CopyCheckpoint(Lsn point, long fileNode, long blocksPerChunk, long chunksDone, long rows, String layout) {
    private static final String VERSION = "pg1";

    /** The text the target keeps: short, plain words, and versioned so a later format can refuse it. */
    String encode() {
        return VERSION + " point=" + point + " node=" + fileNode + " chunk=" + blocksPerChunk + " done=" + chunksDone
                + " rows=" + rows + " layout=" + layout;
    }

    /** This checkpoint with {@code ranges} more ranges done, {@code total} rows in all. */
    CopyCheckpoint after(long ranges, long total) {
        return new CopyCheckpoint(point, fileNode, blocksPerChunk, chunksDone + ranges, total, layout);
    }

    /** This checkpoint as true of a later snapshot at {@code later} (the same rows in the same places). */
    CopyCheckpoint at(Lsn later) {
        return new CopyCheckpoint(later, fileNode, blocksPerChunk, chunksDone, rows, layout);
    }

    /** {@code text} read back; empty when it is not one this version wrote (the table is then copied whole). */
    static Optional<CopyCheckpoint> parse(String text) {
        if (text == null || !text.startsWith(VERSION + " ")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : text.substring(VERSION.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            CopyCheckpoint checkpoint = new CopyCheckpoint(
                    Lsn.parse(fields.get("point")),
                    Long.parseLong(fields.get("node")),
                    Long.parseLong(fields.get("chunk")),
                    Long.parseLong(fields.get("done")),
                    Long.parseLong(fields.get("rows")),
                    fields.get("layout"));
            return checkpoint.blocksPerChunk() > 0 && checkpoint.chunksDone() >= 0 && checkpoint.layout() != null
                    ? Optional.of(checkpoint)
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A fingerprint of {@code schema}'s columns: names, types and key, in order. */
    static String layout(TableSchema schema) {
        StringBuilder text = new StringBuilder(schema.identity().name());
        for (Column column : schema.columns()) {
            text.append('\u0000')
                    .append(column.name())
                    .append('\u0000')
                    .append(column.type())
                    .append(column.key() ? "\u0000k" : "");
        }
        return Integer.toHexString(text.toString().hashCode());
    }
}
