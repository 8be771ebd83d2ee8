package io.zeroetl;

import io.zeroetl.change.TableSchema;
import io.zeroetl.spi.ChangeDecoder;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.WalReader;
import java.util.List;
import java.util.Optional;

/**
 * Where changes come from: a {@link WalReader} and the {@link ChangeDecoder} for its messages.
 * {@code io.zeroetl.postgres.PostgresSource} is the PostgreSQL one; any part of it can be replaced.
 *
 * <p>Implementations are immutable and thread-safe, and their {@code toString()} shows no credentials.
 */
public interface Source {
    /** {@return the reader of the source's change stream; the same instance for the life of the source} */
    WalReader reader();

    /** {@return the decoder of that reader's messages} */
    ChangeDecoder decoder();

    /**
     * The source's tables (for {@link PipelineBuilder#include(String...)} patterns).
     *
     * @return the source's tables
     * @throws UnsupportedOperationException when this source cannot list them
     */
    default List<TableId> listTables() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list its tables");
    }

    /**
     * The table's current columns and key, to check rules against at start; empty when it does not exist.
     *
     * @param table the table
     * @return its columns and key, or empty
     * @throws UnsupportedOperationException when this source cannot describe tables (rules are then checked
     *     when the table's first description arrives in the stream)
     */
    default Optional<TableSchema> describe(TableId table) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot describe tables");
    }

    /**
     * A new connection for validation (see {@link ZeroEtl#validate(Source, Target)}), positioned on no
     * snapshot yet; the caller closes it.
     *
     * @return a new connection for validation
     * @throws ZeroEtlException when this source cannot be validated
     */
    default SourceDigests digests() {
        throw new ZeroEtlException(ErrorCode.CONFIGURATION, getClass().getName() + " cannot be validated");
    }
}
