package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.spi.SourceLease;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lease that decides which instance of a pipeline is active, on a real server: one holder at a time,
 * handed over the moment the holder closes, lost by a holder silent past the failover timeout, and one per
 * pipeline (another pipeline's lease is another lock).
 */
class SourceLeaseIT {
    @Test
    void oneInstanceHoldsItAndAnotherTakesItTheMomentItIsClosed() throws Exception {
        try (SourceFixture f = new SourceFixture();
                PostgresSource source = f.source();
                SourceLease first = source.reader().lease("lease_a", Duration.ofSeconds(10));
                SourceLease second = source.reader().lease("lease_a", Duration.ofSeconds(10));
                SourceLease other = source.reader().lease("lease_b", Duration.ofSeconds(10))) {
            assertThat(first.tryAcquire()).isTrue();
            assertThat(first.tryAcquire()).as("held already").isTrue();
            assertThat(second.tryAcquire()).isFalse();
            assertThat(second.holder())
                    .as("says whose lease it is")
                    .contains("zeroetl lease zeroetl_lease_a")
                    .contains("source session");
            assertThat(other.tryAcquire())
                    .as("another pipeline's lease is another lock")
                    .isTrue();
            assertThat(first.renew()).isTrue();

            first.close();

            assertThat(second.tryAcquire()).isTrue();
            assertThat(first.renew()).isFalse();
        }
    }

    @Test
    void aHolderSilentPastTheFailoverTimeoutLosesItToTheNext() throws Exception {
        try (SourceFixture f = new SourceFixture();
                PostgresSource source = f.source();
                SourceLease silent = source.reader().lease("lease_c", Duration.ofSeconds(1));
                SourceLease next = source.reader().lease("lease_c", Duration.ofSeconds(1))) {
            assertThat(silent.tryAcquire()).isTrue();
            assertThat(next.tryAcquire()).isFalse();

            // a paused instance renews nothing: the server ends its session after the timeout
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!next.tryAcquire()) {
                assertThat(System.nanoTime()).as("the lease is freed").isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(silent.renew()).as("the silent holder finds it lost").isFalse();
        }
    }
}
