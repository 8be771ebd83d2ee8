package io.zeroetl.postgres.internal.types;

/** Turns one value's text output (as pgoutput sends it) into its Java value. Thread-safe. */
@FunctionalInterface
public interface ValueDecoder {
    Object decode(String text);
}
