package dev.notify.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bench/README.md documents the flags that the benchmark and the fault-injection suite take: the
 * usage line of each script (its "#   bench/run.sh [...]" comment) appears in the script's section
 * as it is, and the section's table of flags names the same flags as that line and as the
 * harness's own usage message.
 */
class BenchFlagsTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("notify.repository", "../..")).normalize();
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z-]*");

    @ParameterizedTest
    @CsvSource({"bench/run.sh, Benchmark", "bench/chaos.sh, Chaos"})
    void theReadmeDocumentsExactlyTheScriptsFlags(String script, String harnessClass) throws IOException {
        String usage = usageLine(script);
        Set<String> scriptFlags = flags(usage);
        assertFalse(scriptFlags.isEmpty(), script + "'s usage line names no flag: " + usage);

        Set<String> harnessFlags = flags(harnessUsage(harnessClass));
        assertEquals(scriptFlags, harnessFlags, script + "'s usage line against " + harnessClass + "'s usage message");

        String section = readmeSection(script);
        assertTrue(section.contains(usage), "bench/README.md's section on " + script + " quotes its usage line: " + usage);
        Set<String> documented = new TreeSet<>();
        for (String row : section.lines().filter(line -> line.startsWith("| `--")).toList()) {
            documented.addAll(flags(row.substring(0, row.indexOf(" | ", 2))));
        }
        assertEquals(scriptFlags, documented, "the flags in bench/README.md's table for " + script + " against its usage line");
    }

    /** The script's usage comment without its "#", e.g. "bench/run.sh [--server ...] [--quick]". */
    private static String usageLine(String script) throws IOException {
        List<String> usage = Files.readAllLines(REPOSITORY.resolve(script)).stream()
                .filter(line -> line.matches("#\\s+" + Pattern.quote(script) + "\\s.*"))
                .map(line -> line.substring(1).strip())
                .toList();
        assertEquals(1, usage.size(), script + " has one usage line: " + usage);
        return usage.get(0);
    }

    /** What the harness's argument parsing says it takes: its "usage: ..." message up to "(given". */
    private static String harnessUsage(String harnessClass) throws IOException {
        String source = Files.readString(REPOSITORY.resolve("bench/harness/src/main/java/dev/notify/bench/" + harnessClass + ".java"));
        int start = source.indexOf("\"usage: ");
        assertTrue(start >= 0, harnessClass + " has a usage message");
        return source.substring(start, source.indexOf("(given", start));
    }

    /** The part of bench/README.md under the "## " heading that names the script, up to the next one. */
    private static String readmeSection(String script) throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("bench/README.md"));
        Matcher heading = Pattern.compile("(?m)^## .*" + Pattern.quote(script) + ".*$").matcher(readme);
        assertTrue(heading.find(), "bench/README.md has a section on " + script);
        int next = readme.indexOf("\n## ", heading.end());
        return readme.substring(heading.start(), next < 0 ? readme.length() : next);
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher flag = FLAG.matcher(text);
        while (flag.find()) {
            flags.add(flag.group());
        }
        return flags;
    }
}
