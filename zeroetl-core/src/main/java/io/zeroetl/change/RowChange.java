package io.zeroetl.change;

/** An insert, update or delete of one row. */
public sealed interface RowChange extends ChangeEvent, TableEvent permits InsertEvent, UpdateEvent, DeleteEvent {}
