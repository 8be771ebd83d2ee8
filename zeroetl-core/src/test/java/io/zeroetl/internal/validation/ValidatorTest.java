package io.zeroetl.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Naming;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableValidation;
import io.zeroetl.Target;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.TableSchema;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.TargetDigests;
import io.zeroetl.spi.WalReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A validation's reads meet what a target's other writers do: a deadlock or serialization error against a
 * pipeline's batch is transient and the validation runs again; what is not transient still fails it at once.
 */
class ValidatorTest {
    private static final TableId T = TableId.parse("public.t");

    private final Map<String, String> rows = new TreeMap<>(Map.of("1", "a", "2", "b", "3", "c"));
    private final AtomicInteger targetOpened = new AtomicInteger();

    @Test
    void aDeadlockWithAPipelinesBatchRunsTheValidationAgainAndItsResultStands() {
        ValidationReport report = validator(ErrorCode.SERIALIZATION_CONFLICT, 2).run(List.of(T));

        assertThat(report.table("public.t").outcome()).isEqualTo(TableValidation.Outcome.CLEAN);
        assertThat(report.table("public.t").sourceRows()).isEqualTo(3);
        assertThat(targetOpened).as("opened again for each attempt").hasValue(3);
    }

    @Test
    void aConflictThatPersistsEndsTheValidationWithItAfterAFewAttempts() {
        assertThatThrownBy(
                        () -> validator(ErrorCode.SERIALIZATION_CONFLICT, 100).run(List.of(T)))
                .isInstanceOfSatisfying(
                        ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_CONFLICT));
        assertThat(targetOpened).hasValue(Validator.ATTEMPTS);
    }

    @Test
    void aFailureThatIsNotTransientIsNotRunAgain() {
        assertThatThrownBy(() -> validator(ErrorCode.PERMISSION, 1).run(List.of(T)))
                .isInstanceOfSatisfying(
                        ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION));
        assertThat(targetOpened).hasValue(1);
    }

    /** A validator whose target's bucket reads fail {@code failures} times with {@code code}. */
    private Validator validator(ErrorCode code, int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        Source source = new Source() {
            @Override
            public WalReader reader() {
                throw new UnsupportedOperationException();
            }

            @Override
            public SourceDigests digests() {
                return new Side(null, null);
            }
        };
        Target target = new Target() {
            @Override
            public ChangeApplier applier() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TargetDigests digests(String pipelineId) {
                targetOpened.incrementAndGet();
                return new Side(code, left);
            }
        };
        return new Validator(
                source,
                target,
                "p",
                Duration.ofSeconds(5),
                10,
                1,
                new Transformer(Map.of(), Naming.AS_IS, List.of(), name -> name));
    }

    /** One side holding {@link #rows}; its bucket reads fail while {@code left} counts down. */
    private final class Side implements SourceDigests, TargetDigests {
        private final ErrorCode code;
        private final AtomicInteger left;

        Side(ErrorCode code, AtomicInteger left) {
            this.code = code;
            this.left = left;
        }

        @Override
        public Lsn refresh() {
            return Lsn.of(100);
        }

        @Override
        public Optional<TableSchema> schema(TableId table) {
            return Optional.of(FakeLog.schema(table));
        }

        @Override
        public Map<Integer, Digest> buckets(TableSchema table, int buckets) {
            if (left != null && left.getAndDecrement() > 0) {
                throw new ZeroEtlException(code, "ERROR: deadlock detected");
            }
            Map<Integer, Digest> out = new TreeMap<>();
            rows.forEach((key, row) -> out.merge(
                    bucket(key, buckets),
                    new Digest(1, BigInteger.valueOf(row.hashCode())),
                    (a, b) -> new Digest(a.rows() + b.rows(), a.checksum().add(b.checksum()))));
            return out;
        }

        @Override
        public List<RowDigest> rows(TableSchema table, int buckets, Set<Integer> which) {
            List<RowDigest> out = new ArrayList<>();
            rows.forEach((key, row) -> {
                if (which.contains(bucket(key, buckets))) {
                    out.add(new RowDigest(key, List.of(key), row));
                }
            });
            return out;
        }

        @Override
        public List<RowDigest> rowsWithKeys(TableSchema table, Collection<String> keyHashes) {
            return rows(table, 1, Set.of(0)).stream()
                    .filter(r -> keyHashes.contains(r.keyHash()))
                    .toList();
        }

        @Override
        public Map<TableId, String> failedTables() {
            return Map.of();
        }

        @Override
        public Set<String> uncomparableColumns(TableSchema table) {
            return Set.of();
        }

        @Override
        public Map<String, Set<String>> conversions(TableSchema table) {
            return Map.of();
        }

        @Override
        public void close() {}

        private static int bucket(String key, int buckets) {
            return Math.floorMod(key.hashCode(), buckets);
        }
    }
}
