package io.zeroetl.change;

import io.zeroetl.TableId;

/** An event about one table. */
public interface TableEvent {
    /** {@return the source table the event is about} */
    TableId table();
}
