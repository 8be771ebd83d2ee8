/**
 * zeroetl's internals. No compatibility guarantees: anything here may change in any release.
 */
package io.zeroetl.internal;
