package io.zeroetl.redshift.internal.s3;

import com.github.luben.zstd.ZstdOutputStream;
import io.zeroetl.redshift.S3Staging;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one load (gzipped, Zstandard or plain CSV), written while the rows arrive and uploaded as they
 * fill. A compressed file is not split by COPY, so one file is read by one slice: "make the number of files a multiple of the number of
 * slices", each 1 MB to 1 GB compressed (c_best-practices-use-multiple-files). A small load stays one file; once
 * its file holds {@link #splitChars} characters, as many files as the cluster has slices are written side by
 * side, row by row in turn, and uploaded together when one of them reaches the part size — so a large load is
 * a multiple of the slices in files. A load may upload its files earlier ({@link #upload()}), e.g. when its
 * target is idle.
 */
final class StagedFiles {
    /** The most characters a file takes before a load is spread over the slices. */
    static final long SPLIT_CHARS = 8L << 20;

    /** One file being written. */
    static final class Part {
        private final Path file;
        final CsvOut out;
        private long chars;

        private Part(S3Staging.Compression compression) throws IOException {
            this.file = Files.createTempFile("zeroetl-stage-", suffix(compression));
            OutputStream stream = Files.newOutputStream(file);
            this.out = new CsvOut(
                    switch (compression) {
                        case GZIP -> new FastGzip(stream);
                        // level 1: Zstandard's fastest level that still compresses as well as gzip's fastest
                        case ZSTD -> new ZstdOutputStream(stream, 1);
                        case NONE -> stream;
                    });
        }
    }

    private final S3Objects s3;
    private final String keyBase;
    private final long partChars;
    private final int slices;
    private final long splitChars;
    private final List<Part> open = new ArrayList<>();
    private final List<String> uploaded = new ArrayList<>();
    private final S3Staging.Compression compression;
    private int next;
    private int parts;
    private long openChars;

    StagedFiles(S3Objects s3, String keyBase, long partChars, int slices, S3Staging.Compression compression) {
        this.compression = compression;
        this.s3 = s3;
        this.keyBase = keyBase;
        this.partChars = partChars;
        this.slices = Math.max(1, slices);
        this.splitChars = Math.min(SPLIT_CHARS, partChars / this.slices);
    }

    /** The file the next row goes to. */
    Part part() throws IOException {
        if (open.isEmpty()) {
            open.add(new Part(compression));
            next = 0;
        }
        return open.get(next);
    }

    /** {@code part} took a row of {@code chars} bytes (counted as characters, the unit of the limits). */
    void wrote(Part part, long chars) throws IOException {
        part.chars += chars;
        openChars += chars;
        if (open.size() == 1 && slices > 1 && part.chars >= splitChars) {
            for (int i = 1; i < slices; i++) {
                open.add(new Part(compression));
            }
        }
        next = (next + 1) % open.size();
        if (part.chars >= partChars) {
            upload();
        }
    }

    /** {@return the characters written to the files being written} */
    long chars() {
        return openChars;
    }

    /** Closes and uploads the files being written (a file that took no row is dropped). */
    void upload() throws IOException {
        try {
            for (Part p : open) {
                p.out.close();
                if (p.chars == 0) {
                    continue;
                }
                String key = keyBase + String.format("part-%05d", ++parts) + suffix(compression);
                s3.putFile(key, p.file);
                uploaded.add(key);
            }
        } finally {
            discard();
        }
    }

    /** The keys of the uploaded files. */
    List<String> uploaded() {
        return uploaded;
    }

    /** Deletes the local files being written (after a failure, or once uploaded). */
    void discard() {
        for (Part p : open) {
            try {
                p.out.close();
            } catch (IOException e) {
                // a temporary file, deleted next
            }
            try {
                Files.deleteIfExists(p.file);
            } catch (IOException e) {
                // the system's temporary directory
            }
        }
        open.clear();
        openChars = 0;
    }

    /** The file name's end for {@code compression}'s files. */
    static String suffix(S3Staging.Compression compression) {
        return switch (compression) {
            case GZIP -> ".csv.gz";
            case ZSTD -> ".csv.zst";
            case NONE -> ".csv";
        };
    }

    /** GZIP at the fastest level: compressing is the pipeline's costliest step here, and COPY reads any level. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
