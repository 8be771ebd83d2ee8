package io.zeroetl.testing.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The PostgreSQL binaries' archives unpack whole: files with their modes, directories, links, long names. */
class TarXzExtractorTest {
    private static final String LONG = "share/" + "a-long-directory-name/".repeat(6) + "file.sql";

    @Test
    void filesDirectoriesLinksAndLongNamesUnpackWithTheirModes(@TempDir Path dir) throws IOException {
        byte[] archive = archive(tar -> {
            directory(tar, "bin/");
            file(tar, "bin/postgres", "#!/bin/sh\n", 0755);
            file(tar, "lib/libpq.so.5.16", "library", 0644);
            link(tar, "lib/libpq.so.5", "libpq.so.5.16");
            file(tar, LONG, "SELECT 1;", 0644);
        });

        TarXzExtractor.extract(new ByteArrayInputStream(archive), dir);

        assertThat(dir.resolve("bin/postgres")).hasContent("#!/bin/sh");
        assertThat(Files.getPosixFilePermissions(dir.resolve("bin/postgres")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE)
                .doesNotContain(PosixFilePermission.GROUP_WRITE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("lib/libpq.so.5.16")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.isSymbolicLink(dir.resolve("lib/libpq.so.5"))).isTrue();
        assertThat(dir.resolve("lib/libpq.so.5")).hasContent("library");
        assertThat(dir.resolve(LONG)).hasContent("SELECT 1;");
    }

    @Test
    void anEntryThatWouldLandOutsideTheTargetIsRefused(@TempDir Path dir) throws IOException {
        byte[] archive = archive(tar -> file(tar, "../outside", "x", 0644));

        assertThatThrownBy(() -> TarXzExtractor.extract(new ByteArrayInputStream(archive), dir.resolve("target")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("escapes the target directory");
        assertThat(dir.resolve("outside")).doesNotExist();
    }

    private interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] archive(Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            entries.write(tar);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name));
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String to) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(to);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
