/**
 * The replication engine. No compatibility guarantees. Its parts, each with one job:
 *
 * <pre>
 *  host ── Engine (the Pipeline handle: start, status, resync, validate, close)
 *            │ reads                                  close() gives the one Shutdown signal
 *            ▼
 *          Control (settings, books: Lifecycle, Positions, TableRegistry, Throughput; start outcome)
 *            ▲ reports                                     ▲ reports
 *  apply thread: InstanceLoop                      reader thread: ReaderLoop
 *    LeaseKeeper   stand by / take over / step down  WalReader ─► WalStream ─► StreamItem
 *    Readers       (re)start the reader at the          │ events        (copies arrive as typed events)
 *                  target's position                    ▼
 *    BatchLoop ◄── EventQueue (bytes-bounded) ◄─────────┘   acknowledges only what the target committed
 *      BatchCursor   a batch's boundaries and replay
 *      BatchTables   what the batch means for the tables (joins, drops, copies, counts)
 *      Retrier       backoff, retry budget, failover timeout
 *      TableTransitions  table states once a batch committed
 *      ChangeApplier (the target's)  ◄── TransformingBatch (rules, naming, host transforms)
 * </pre>
 */
package io.zeroetl.internal.engine;
