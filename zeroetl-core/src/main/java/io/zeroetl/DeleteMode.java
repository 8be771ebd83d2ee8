package io.zeroetl;

/** What a source DELETE does to a table's target. */
public enum DeleteMode {
    /** The target row is deleted (the default). */
    HARD,
    /**
     * The target row stays, with {@code _zeroetl_deleted} set true and {@code _zeroetl_deleted_at} set to the
     * source commit time; inserts and updates set them false and NULL; a TRUNCATE marks every row.
     */
    SOFT,
    /**
     * Every version is kept, as AWS zero-ETL's history mode: {@code _record_is_active},
     * {@code _record_create_time}, {@code _record_delete_time}. An update or delete closes the active
     * version (inactive, delete time = source commit time) and an update opens the next; a TRUNCATE
     * closes all.
     */
    HISTORY
}
