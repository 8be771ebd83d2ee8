/** Internal: the built-in table rules and host transforms applied between the batch and the applier. Not an API. */
package io.zeroetl.internal.transform;
