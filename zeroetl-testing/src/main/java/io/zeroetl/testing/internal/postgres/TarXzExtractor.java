package io.zeroetl.testing.internal.postgres;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a {@code .txz} (xz-compressed tar) archive: regular files with their permission bits,
 * directories, symbolic links, and GNU/PAX long names. Entries that would land outside the target
 * directory are refused.
 */
final class TarXzExtractor {
    private static final int BLOCK = 512;

    private TarXzExtractor() {}

    static void extract(InputStream compressed, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new XZInputStream(compressed)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            String longLink = null;
            while (true) {
                if (!readBlock(in, header)) {
                    return;
                }
                if (isZero(header)) {
                    return;
                }
                char type = (char) header[156];
                long size = parseOctal(header, 124, 12);
                String name = longName != null ? longName : entryName(header);
                String link = longLink != null ? longLink : string(header, 157, 100);
                if (type == 'L' || type == 'K' || type == 'x') {
                    String value = new String(readData(in, size), StandardCharsets.UTF_8);
                    if (type == 'L') {
                        longName = trimNul(value);
                    } else if (type == 'K') {
                        longLink = trimNul(value);
                    } else {
                        longName = paxValue(value, "path", longName);
                        longLink = paxValue(value, "linkpath", longLink);
                    }
                    continue;
                }
                longName = null;
                longLink = null;
                Path path = root.resolve(name).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("archive entry escapes the target directory: " + name);
                }
                int mode = (int) parseOctal(header, 100, 8);
                switch (type) {
                    case '5':
                        Files.createDirectories(path);
                        break;
                    case '2':
                        Files.createDirectories(path.getParent());
                        Files.deleteIfExists(path);
                        Files.createSymbolicLink(path, Path.of(link));
                        break;
                    case '0':
                    case '\0':
                    case '7':
                        Files.createDirectories(path.getParent());
                        Files.copy(new BoundedInputStream(in, size), path, StandardCopyOption.REPLACE_EXISTING);
                        skip(in, padding(size));
                        setMode(path, mode);
                        break;
                    default:
                        skip(in, size + padding(size));
                }
            }
        }
    }

    private static String entryName(byte[] header) {
        String name = string(header, 0, 100);
        String magic = string(header, 257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxValue(String records, String key, String fallback) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith(key + "=", space + 1)) {
                return record.substring(space + 2 + key.length());
            }
        }
        return fallback;
    }

    private static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException e) {
            path.toFile().setExecutable((mode & 0100) != 0);
        }
    }

    private static long padding(long size) {
        long rest = size % BLOCK;
        return rest == 0 ? 0 : BLOCK - rest;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("truncated tar header");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar metadata entry too large: " + size);
        }
        byte[] data = in.readNBytes((int) size);
        skip(in, padding(size));
        return data;
    }

    private static void skip(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar archive");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long parseOctal(byte[] header, int offset, int length) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                if (value != 0) {
                    break;
                }
                continue;
            }
            value = (value << 3) + (b - '0');
        }
        return value;
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String value) {
        int nul = value.indexOf('\0');
        return nul >= 0 ? value.substring(0, nul) : value;
    }

    /** Exposes exactly {@code limit} bytes of the underlying stream without closing it. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("truncated tar entry");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new EOFException("truncated tar entry");
            }
            left -= read;
            return read;
        }
    }
}
