package io.zeroetl.fakes;

import io.zeroetl.Source;
import io.zeroetl.spi.ChangeDecoder;
import io.zeroetl.spi.WalReader;

/** A source made of a fake reader and decoder. */
public record FakeSource(WalReader reader, ChangeDecoder decoder) implements Source {}
