package io.zeroetl.spi;

import io.zeroetl.change.ChangeEvent;
import java.util.function.Consumer;

/**
 * Turns raw stream messages into typed {@link ChangeEvent}s. Stateful (it remembers table schemas) and
 * used from one thread at a time.
 *
 * <pre>{@code
 * decoder.decode(message, event -> queue.add(event));
 * }</pre>
 */
public interface ChangeDecoder {
    /**
     * Decodes {@code message} into zero or more events, handed to {@code out} in order.
     *
     * @param message a message of the stream
     * @param out receives the decoded events
     * @throws io.zeroetl.ZeroEtlException when the message cannot be decoded
     */
    void decode(RawMessage message, Consumer<ChangeEvent> out);

    /**
     * How many messages this decoder refused because they claimed to be the pipeline's own but failed its
     * check (forged or damaged); shown in the pipeline's status. May be called from any thread.
     *
     * @return the messages refused so far
     */
    default long rejectedMessages() {
        return 0;
    }

    /** Forgets per-stream state; called before a new stream is read. */
    default void reset() {}
}
