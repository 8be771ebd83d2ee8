/** The Redshift target's internals. No compatibility guarantees. */
package io.zeroetl.redshift.internal;
