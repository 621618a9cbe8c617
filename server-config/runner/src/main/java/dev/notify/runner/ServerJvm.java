package dev.notify.runner;

import java.util.List;
import java.util.Map;

/**
 * How the JVM of Payara Micro and of WildFly is sized: for the product, not for the machine (the
 * JVM's default heap is a quarter of the memory, and grows to it under load). Payara Server keeps
 * its domain's own sizing (a 512 MB heap): its administration server, timer database and modules
 * need more, and with these options it ran out of heap in the benchmark.
 * Measured on Payara Micro with the benchmark (bench/run.sh) and native memory tracking: about
 * 90 MB of the heap stay live under load, classes take about 150 MB of metaspace and compiled code
 * about 57 MB. With 160 or 192 MB Payara Micro no longer starts (2026-12-07: "GC overhead limit
 * exceeded" while deploying, in Hibernate's HQL parser, whose ANTLR caches grow with the named
 * queries); 256 MB leave room above the live data. The parallel collector needs a few MB of its
 * own where G1 took about 40.
 */
final class ServerJvm {

    static final List<String> OPTIONS = List.of(
            "-Xmx256m", "-XX:+UseParallelGC",
            "-XX:MaxMetaspaceSize=192m",
            "-XX:ReservedCodeCacheSize=64m");

    /**
     * Payara's Jakarta JSON and Mail providers, named: its JSON log formatter asks for a JSON
     * provider for every line it writes, and Jakarta Mail for a stream provider for every mail.
     * Unnamed, each asks the ServiceLoader, which searches every jar the application sees for the
     * provider's file: 10 % of the server's CPU in the benchmark's profile (2026-12-07).
     */
    static final List<String> PAYARA_PROVIDERS = List.of(
            "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl",
            "-Djakarta.mail.util.StreamProvider=org.eclipse.angus.mail.util.MailStreamProvider");

    /**
     * glibc gives each thread that allocates concurrently an arena of its own, up to eight per
     * core, and returns little of them: two bound the server's native memory.
     */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private ServerJvm() {
    }
}
