/**
 * A target written only against zeroetl's public SPI ({@code io.zeroetl.spi}, {@code io.zeroetl.change}): it
 * keeps tables in memory and passes the same conformance kit as the Redshift target.
 */
package io.zeroetl.examples.memory;
