/** Internal: the source side of a validation. Not an API. */
package io.zeroetl.postgres.internal.validation;
