package dev.notify.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A server's distribution archive, unpacked once into the data directory and used from there. */
final class Distribution {

    private Distribution() {
    }

    /** Unpacks the archive's top directory into target unless an earlier start did. */
    static Path unpack(Path archive, Path target) throws IOException, InterruptedException {
        if (!Files.isDirectory(target)) {
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Directories.deleteRecursively(partial);
            Files.createDirectories(partial);
            if (archive.toString().endsWith(".zip")) {
                unzipStrippingTopDirectory(archive, partial);
            } else {
                ChildProcess.runToEnd(List.of("tar", "xzf", archive.toString(), "-C", partial.toString(),
                        "--strip-components=1"), partial);
            }
            Files.move(partial, target);
        }
        return target;
    }

    private static void unzipStrippingTopDirectory(Path archive, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path path = target.resolve(name.substring(slash + 1)).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("entry outside the archive's directory: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(zip, path);
                }
            }
        }
    }
}
