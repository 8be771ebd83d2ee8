package io.zeroetl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.TestAbortedException;

class DockerBackendTest {
    private static final String NO_ENGINE = "unix:///nonexistent/zeroetl-docker.sock";

    @Test
    void dockerBackendWithoutEngineFailsFastNamingTheFix() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> EmbeddedPostgres.builder()
                        .backend(PostgresBackend.DOCKER)
                        .dockerHost(NO_ENGINE)
                        .start())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("no Docker engine answers")
                .hasMessageContaining(NO_ENGINE)
                .hasMessageContaining("-Dzeroetl.postgres.backend=maven");
        assertThat(System.nanoTime() - started)
                .as("no waiting for an absent engine")
                .isLessThan(30_000_000_000L);
    }

    @Test
    void testsUsingDockerBackendAreSkippedWithTheReasonWhenNoEngineAnswers() {
        Events classes = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NeedsDocker.class))
                .execute()
                .containerEvents();

        assertThat(classes.aborted().list()).singleElement().satisfies(event -> {
            Throwable reason = event.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .orElseThrow();
            assertThat(reason)
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("no Docker engine answers");
        });
        assertThat(classes.failed().count()).isZero();
    }

    @Test
    void unknownBackendNameIsRejectedListingTheChoices() {
        assertThatThrownBy(() -> PostgresBackend.fromKey("podman"))
                .hasMessageContaining("maven, local, external, docker");
        assertThat(PostgresBackend.fromKey(" Docker ")).isEqualTo(PostgresBackend.DOCKER);
    }

    /** Run only through the test kit above (nested classes are not picked up by Surefire). */
    static class NeedsDocker {
        @RegisterExtension
        static EmbeddedPostgresExtension postgres = EmbeddedPostgresExtension.dedicated(
                EmbeddedPostgres.builder().backend(PostgresBackend.DOCKER).dockerHost(NO_ENGINE));

        @Test
        void neverRuns() {
            throw new AssertionError("must be skipped");
        }
    }
}
