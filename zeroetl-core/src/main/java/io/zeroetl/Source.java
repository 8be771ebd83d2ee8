package io.zeroetl;

import io.zeroetl.spi.ChangeDecoder;
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
}
