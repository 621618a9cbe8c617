package dev.notify.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the application's stalled-work sweep sent again since this was made: its warnings ("Sent
 * again after PT1M with no message on its way: N notification(s), M event(s) (...)") in the
 * servers' logs (the run command's logs folder, a file per instance, appended across restarts;
 * Payara Micro writes its lines as JSON, the message in them the same).
 */
final class SweepLog {

    static final Pattern SENT_AGAIN = Pattern.compile("Sent again after \\S+ with no message on its way: (\\d+) notification\\(s\\), (\\d+) event\\(s\\)");

    private final Path logs;
    /** Each log file's length when this was made: only what follows counts. */
    private final Map<Path, Long> marks = new HashMap<>();

    SweepLog(Path logs) throws IOException {
        this.logs = logs;
        for (Path log : files()) {
            marks.put(log, Files.size(log));
        }
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).toList();
        }
    }

    /** The notifications and the events sent again since the mark, or -1 each when no server's log can be read. */
    long[] sentAgain() {
        try {
            List<Path> files = files();
            if (files.isEmpty()) {
                return new long[] {-1, -1};
            }
            long[] sent = new long[2];
            for (Path log : files) {
                long from = marks.getOrDefault(log, 0L);
                if (Files.size(log) < from) {
                    from = 0; // the file was started again
                }
                count(read(log, from), sent);
            }
            return sent;
        } catch (IOException e) {
            Benchmark.say("  could not read the servers' logs: " + e);
            return new long[] {-1, -1};
        }
    }

    /** Adds what each warning in the text sent again to {@code sent} (notifications, events). */
    static void count(String text, long[] sent) {
        Matcher warning = SENT_AGAIN.matcher(text);
        while (warning.find()) {
            sent[0] += Long.parseLong(warning.group(1));
            sent[1] += Long.parseLong(warning.group(2));
        }
    }

    private static String read(Path log, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
