package io.zeroetl.testing.internal.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TranslationCacheTest {
    @Test
    void aStatementIsTranslatedOncePerSessionFlags() {
        TranslationCache cache = new TranslationCache(1 << 20);
        AtomicInteger translations = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            cache.translate("SELECT 1", false, false, () -> {
                translations.incrementAndGet();
                return Translation.of("SELECT 1");
            });
        }
        cache.translate("SELECT 1", true, false, () -> {
            translations.incrementAndGet();
            return Translation.of("SELECT 1");
        });
        assertThat(translations).hasValue(2);
    }

    @Test
    void copyAndMergeAreTranslatedEveryTimeWhateverComesFirst() {
        assertThat(TranslationCache.cacheable("SELECT 1")).isTrue();
        assertThat(TranslationCache.cacheable("copy t FROM 's3://b/k' IAM_ROLE 'x'"))
                .isFalse();
        assertThat(TranslationCache.cacheable("  /* a comment */ -- another\n COPY t FROM 's3://b/k'"))
                .isFalse();
        assertThat(TranslationCache.cacheable("MERGE INTO t USING s ON t.id = s.id REMOVE DUPLICATES"))
                .isFalse();
    }

    @Test
    void theLeastRecentlyUsedGoWhenTheBoundIsPassed() {
        TranslationCache cache = new TranslationCache(1_000);
        AtomicInteger translations = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            String sql = "SELECT '" + "x".repeat(100) + i + "'";
            cache.translate(sql, false, false, () -> {
                translations.incrementAndGet();
                return Translation.of(sql);
            });
        }
        String first = "SELECT '" + "x".repeat(100) + 0 + "'";
        cache.translate(first, false, false, () -> {
            translations.incrementAndGet();
            return Translation.of(first);
        });
        assertThat(translations)
                .as("the first was evicted and translated again")
                .hasValue(21);
    }
}
