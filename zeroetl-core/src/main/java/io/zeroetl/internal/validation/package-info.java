/** Internal: the validation that compares a target with its source. Not an API. */
package io.zeroetl.internal.validation;
