package dev.notify.it;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A scrape of the metrics in Prometheus' text format, read by sample name and labels. */
record Scrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);

    /** The sample with this name whose labels include these; 0 when there is none (a counter not yet counted). */
    double value(String name, String... labels) {
        Set<String> wanted = Set.of(labels);
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (sample.group(1).equals(name) && labels(sample.group(2)).containsAll(wanted)) {
                return Double.parseDouble(sample.group(3));
            }
        }
        return 0;
    }

    /** Whether a sample of this name is there at all. */
    boolean has(String name) {
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (sample.group(1).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code key="value"} pairs, as written (label values here hold no comma or quote). */
    private static Set<String> labels(String labels) {
        return labels == null ? Set.of() : Arrays.stream(labels.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    static String label(String key, String value) {
        return key + "=\"" + value + "\"";
    }
}
