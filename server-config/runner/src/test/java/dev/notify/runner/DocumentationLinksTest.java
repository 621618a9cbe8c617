package dev.notify.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Markdown that a reader follows from the README: every relative link in README.md,
 * docs/**.md, bench/README.md and server-config/README.md names a file or folder of the
 * repository, and a heading of the target file where it names one (#anchor, as GitHub makes them).
 */
class DocumentationLinksTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("notify.repository", "../..")).toAbsolutePath().normalize();
    /** An inline link or image, [text](target "title"); the target without its title. */
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition, [name]: target. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+\\1");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkResolvesToAFileAndItsHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> documents = documents();
        assertTrue(documents.contains(REPOSITORY.resolve("README.md")) && documents.size() > 10,
                "the scan finds the documents: " + documents);
        int links = 0;
        for (Path document : documents) {
            for (String target : links(document)) {
                links++;
                String problem = problem(document, target);
                if (problem != null) {
                    broken.add(REPOSITORY.relativize(document) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(links > 50, "the scan finds the links: " + links);
        assertTrue(broken.isEmpty(), broken.size() + " broken link(s):\n" + String.join("\n", broken));
    }

    /** README.md, every .md under docs, and the READMEs of bench and server-config. */
    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("bench/README.md"),
                REPOSITORY.resolve("server-config/README.md")));
        try (Stream<Path> docs = Files.walk(REPOSITORY.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** The link targets of a document, outside fenced code blocks and code spans. */
    static List<String> links(Path document) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(document)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                targets.add(inline.group(1));
            }
            Matcher reference = REFERENCE.matcher(text);
            if (reference.matches()) {
                targets.add(reference.group(1));
            }
        }
        return targets;
    }

    /** Why a link does not resolve, or null when it does; links off the repository are not followed. */
    private static String problem(Path document, String target) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto:, ...
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!resolved.startsWith(REPOSITORY)) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file: " + REPOSITORY.relativize(resolved);
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            return "no heading #" + anchor + " in " + REPOSITORY.relativize(resolved);
        }
        return null;
    }

    /** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(document)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int repeat = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
        }
        return anchors;
    }
}
