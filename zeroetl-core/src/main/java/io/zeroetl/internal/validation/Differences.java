package io.zeroetl.internal.validation;

import io.zeroetl.spi.RowDigests;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the two sides' digests differ: buckets summed up, rows compared by key, differences confirmed. */
final class Differences {
    private static final BigInteger MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Differences() {}

    /**
     * The rows that differ between the two lists, by key hash, at most {@code limit}. A table without a key is
     * keyed by all its columns and is a multiset: a row present more often on one side differs too.
     */
    static Map<String, Suspect> compare(
            List<RowDigests.RowDigest> source, List<RowDigests.RowDigest> target, int limit) {
        Map<String, List<RowDigests.RowDigest>> sources = byKey(source);
        Map<String, List<RowDigests.RowDigest>> targets = byKey(target);
        Map<String, Suspect> suspects = new LinkedHashMap<>();
        for (Map.Entry<String, List<RowDigests.RowDigest>> s : sources.entrySet()) {
            if (suspects.size() >= limit) {
                return suspects;
            }
            List<RowDigests.RowDigest> t = targets.remove(s.getKey());
            RowDigests.RowDigest first = s.getValue().get(0);
            if (t == null) {
                suspects.put(s.getKey(), new Suspect(first, null, false));
            } else if (!t.get(0).rowText().equals(first.rowText())) {
                suspects.put(s.getKey(), new Suspect(first, t.get(0), false));
            } else if (t.size() != s.getValue().size()) {
                // the same row a different number of times: copies missing from, or extra in, the target
                suspects.put(
                        s.getKey(),
                        t.size() < s.getValue().size()
                                ? new Suspect(first, null, false)
                                : new Suspect(null, t.get(0), false));
            }
        }
        for (List<RowDigests.RowDigest> t : targets.values()) {
            if (suspects.size() >= limit) {
                break;
            }
            suspects.put(t.get(0).keyHash(), new Suspect(null, t.get(0), false));
        }
        return suspects;
    }

    static Map<String, List<RowDigests.RowDigest>> byKey(List<RowDigests.RowDigest> rows) {
        Map<String, List<RowDigests.RowDigest>> byKey = new LinkedHashMap<>();
        rows.forEach(
                r -> byKey.computeIfAbsent(r.keyHash(), k -> new ArrayList<>()).add(r));
        return byKey;
    }

    /**
     * The rows that still differ on fresh snapshots. A row is stable when neither side changed since the
     * previous round: then the target, having applied past the source's snapshot, really differs. A row
     * that keeps changing cannot be confirmed while writes go on.
     */
    static Map<String, Suspect> recheck(
            Map<String, Suspect> previous, List<RowDigests.RowDigest> source, List<RowDigests.RowDigest> target) {
        Map<String, Suspect> now = compare(source, target, Integer.MAX_VALUE);
        Map<String, Suspect> out = new LinkedHashMap<>();
        now.forEach((key, s) -> {
            Suspect before = previous.get(key);
            boolean stable =
                    before != null && sameText(before.source(), s.source()) && sameText(before.target(), s.target());
            out.put(key, new Suspect(s.source(), s.target(), stable));
        });
        return out;
    }

    static boolean sameText(RowDigests.RowDigest a, RowDigests.RowDigest b) {
        return a == null ? b == null : b != null && a.rowText().equals(b.rowText());
    }

    static long rows(Map<Integer, RowDigests.Digest> buckets) {
        return buckets.values().stream().mapToLong(RowDigests.Digest::rows).sum();
    }

    static String checksum(Map<Integer, RowDigests.Digest> buckets) {
        BigInteger sum = BigInteger.ZERO;
        for (RowDigests.Digest d : buckets.values()) {
            sum = sum.add(d.checksum());
        }
        return String.format("%016x", sum.and(MASK));
    }

    /** A row that differed: its source and target digests (either may be null). */
    record Suspect(RowDigests.RowDigest source, RowDigests.RowDigest target, boolean stable) {
        RowDigests.RowDigest any() {
            return source != null ? source : target;
        }
    }
}
