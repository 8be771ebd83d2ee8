package io.zeroetl.postgres.internal.pgoutput;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.ddl.DdlMessages;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DDL trigger's messages, trusted only when transactional and signed with its key (read again every 30 s
 * while none is readable); any other message claiming to be one is counted and changes nothing.
 */
final class SignedDdl {
    private static final Logger LOG = LoggerFactory.getLogger(SignedDdl.class);
    /** How often to look for the DDL trigger's key again while none is readable. */
    private static final long KEY_RETRY_NANOS = 30_000_000_000L;

    private final PgTypes types;
    private final Supplier<DdlMessages.Key> ddlKey;
    private final Function<TableId, Optional<TableSchema>> describe;
    private final Supplier<String> publication;
    private final AtomicLong rejected;
    private DdlMessages.Key key;
    private boolean keyTried;
    private long keyTriedAt;

    SignedDdl(
            PgTypes types,
            Supplier<DdlMessages.Key> ddlKey,
            Function<TableId, Optional<TableSchema>> describe,
            Supplier<String> publication,
            AtomicLong rejected) {
        this.rejected = rejected;
        this.types = types;
        this.ddlKey = ddlKey;
        this.describe = describe;
        this.publication = publication;
    }

    /** {@return how many messages claimed to be zeroetl's and failed its check} */
    long rejected() {
        return rejected.get();
    }

    /** The schema change a message at {@code lsn} tells, or null (not one to trust: counted, or nothing to tell). */
    SchemaChangeEvent read(byte[] content, boolean transactional, long lsn) {
        SchemaChangeEvent change = transactional ? ddl(content) : null;
        if (change == null) {
            refuse(lsn, "it is not a transactional message signed by zeroetl's DDL trigger");
        }
        return change;
    }

    /** The schema change of a signed DDL message; null when its signature does not verify. */
    private SchemaChangeEvent ddl(byte[] content) {
        long now = System.nanoTime();
        if (key == null && (!keyTried || now - keyTriedAt > KEY_RETRY_NANOS)) {
            keyTried = true;
            keyTriedAt = now;
            key = ddlKey.get();
        }
        try {
            return DdlMessages.decode(content, key, types, describe, publication.get())
                    .orElse(null);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Skipping a signed DDL message that does not decode ({}); the table's next Relation message"
                            + " still describes it, but a rename in it will look like a drop and an add",
                    e.toString());
            return null;
        }
    }

    /** A message claiming to be zeroetl's that fails its check changes nothing and stops nothing: it is counted. */
    private void refuse(long lsn, String why) {
        long count = rejected.incrementAndGet();
        if (count <= 10 || Long.bitCount(count) == 1) {
            LOG.warn(
                    "Ignored a {} message at {}: {} (forged by a database user, or damaged); {} so far",
                    DdlMessages.PREFIX,
                    Lsn.of(lsn),
                    why,
                    count);
        }
    }
}
