package io.zeroetl;

import io.zeroetl.spi.ChangeDecoder;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.WalReader;

/**
 * Where changes come from: a {@link WalReader} and the {@link ChangeDecoder} for its messages.
 * {@code io.zeroetl.postgres.PostgresSource} is the PostgreSQL one; any part of it can be replaced.
 *
 * <p>Implementations are immutable and thread-safe, and their {@code toString()} shows no credentials.
 */
public interface Source {
    /** The reader of the source's change stream; the same instance for the life of the source. */
    WalReader reader();

    /** The decoder of that reader's messages. */
    ChangeDecoder decoder();

    /**
     * A new connection for validation (see {@link ZeroEtl#validate(Source, Target)}), positioned on no
     * snapshot yet; the caller closes it.
     *
     * @throws ZeroEtlException when this source cannot be validated
     */
    default SourceDigests digests() {
        throw new ZeroEtlException(ErrorCode.CONFIGURATION, getClass().getName() + " cannot be validated");
    }
}
