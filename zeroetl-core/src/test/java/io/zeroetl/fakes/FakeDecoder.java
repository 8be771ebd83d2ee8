package io.zeroetl.fakes;

import io.zeroetl.change.ChangeEvent;
import io.zeroetl.spi.ChangeDecoder;
import io.zeroetl.spi.RawMessage;
import java.util.function.Consumer;

/** Decodes {@link FakeReader}'s messages: each carries the index of a {@link FakeLog} entry. */
public final class FakeDecoder implements ChangeDecoder {
    private final FakeLog log;

    public FakeDecoder(FakeLog log) {
        this.log = log;
    }

    @Override
    public void decode(RawMessage message, Consumer<ChangeEvent> out) {
        out.accept(log.get(message.payload().getInt(0)).event());
    }
}
