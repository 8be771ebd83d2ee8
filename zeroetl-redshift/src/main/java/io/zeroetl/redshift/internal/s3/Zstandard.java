package io.zeroetl.redshift.internal.s3;

import com.github.luben.zstd.util.Native;
import io.zeroetl.redshift.S3Staging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Zstandard's native code loads on this host (zstd-jni bundles it for the usual platforms). Where it does
 * not, staged files are gzipped instead, said once in the log: a host's platform never stops the pipeline.
 */
final class Zstandard {
    private static final Logger LOG = LoggerFactory.getLogger(Zstandard.class);
    private static volatile Boolean available;

    private Zstandard() {}

    /** The compression staged files get when {@code wanted} is asked for. */
    static S3Staging.Compression effective(S3Staging.Compression wanted) {
        return wanted == S3Staging.Compression.ZSTD && !available() ? S3Staging.Compression.GZIP : wanted;
    }

    private static boolean available() {
        Boolean known = available;
        if (known == null) {
            synchronized (Zstandard.class) {
                if (available == null) {
                    try {
                        Native.load();
                        available = true;
                    } catch (LinkageError | RuntimeException e) {
                        LOG.warn(
                                "Zstandard's native code does not load on this host ({}): staged files are gzipped"
                                        + " instead (S3Staging.compression(GZIP) says so and skips this check)",
                                e.toString());
                        available = false;
                    }
                }
                known = available;
            }
        }
        return known;
    }
}
