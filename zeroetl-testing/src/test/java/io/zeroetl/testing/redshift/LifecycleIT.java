package io.zeroetl.testing.redshift;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import org.junit.jupiter.api.Test;

/** Fixtures close quietly in any order: a JVM's shutdown hooks run in no order at all. */
class LifecycleIT {
    @Test
    void anEmulatorWhoseBackingServerStoppedFirstClosesQuietly() {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        RedshiftEmulator redshift = RedshiftEmulator.builder().postgres(pg).start();

        pg.close();

        assertThatCode(redshift::close).doesNotThrowAnyException();
    }
}
