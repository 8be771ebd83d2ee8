package io.zeroetl.fakes;

import io.zeroetl.Source;
import io.zeroetl.spi.WalReader;

/** A source made of a fake reader, written against the public SPI only. */
public record FakeSource(WalReader reader) implements Source {}
