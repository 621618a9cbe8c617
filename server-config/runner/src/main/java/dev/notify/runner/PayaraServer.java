package dev.notify.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Payara Server domain of the notification service, used by the run command and by the
 * integration tests alike. The domain is created anew on every start, because the post-boot
 * commands (shared with Payara Micro) create its resources and cannot run twice on one domain; what
 * must outlive it, the transaction log, is kept outside (NOTIFY_TX_LOG_DIR).
 */
public final class PayaraServer implements AutoCloseable {

    public static final String DOMAIN = "notify";

    /** The resources the application needs, created by the post-boot commands, as admin REST paths. */
    private static final List<String> APPLICATION_RESOURCES = List.of(
            "applications/application/artemis",
            "resources/jdbc-resource/jdbc%2Fnotifications",
            "resources/connector-resource/jms%2Fnotifications",
            "resources/mail-resource/mail%2Fnotifications");

    private final Path home;
    private final Path domains;
    private final int adminPort;
    private final ChildProcess process;

    private PayaraServer(Path home, Path domains, int adminPort, ChildProcess process) {
        this.home = home;
        this.domains = domains;
        this.adminPort = adminPort;
        this.process = process;
    }

    /**
     * Creates the domain under domains with HTTP on httpPort and Payara's other ports counted from
     * portBase as its --portbase counts them (administration on portBase + 48), adds the domain files (lib/: Hibernate and the PostgreSQL driver), starts it
     * with the pre- and post-boot commands and returns once the resources the application needs exist.
     *
     * @param domainFiles the unpacked notify-payara-server zip
     * @param postBootCommands the post-boot commands shared with Payara Micro, run after the domain files' own
     * @param agent the product's Java agent for Payara (server-config/payara-agent), loaded by the server's JVM
     * @param environment every NOTIFY_* variable the commands read
     */
    public static PayaraServer start(Path home, Path domainFiles, Path postBootCommands, Path agent, Path domains, int portBase,
                                     int httpPort, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        Directories.deleteRecursively(domains.resolve(DOMAIN));
        Files.createDirectories(domains);
        // a literal HTTP port in domain.xml: Arquillian's Payara container reads it and cannot resolve ${ENV=...}.
        // No port check here: after a kill, the ports were still taken for a while, create-domain refused
        // (CLI130) and the supervisor's restarts failed for minutes; start-domain reports a port truly in use.
        ChildProcess.runToEnd(asadmin(home, "create-domain", "--checkports=false", "--domaindir", domains.toString(),
                "--adminport", Integer.toString(portBase + 48), "--instanceport", Integer.toString(httpPort),
                "--domainproperties", String.join(":",
                        "http.ssl.port=" + (portBase + 81), "jms.port=" + (portBase + 76),
                        "orb.listener.port=" + (portBase + 37), "orb.ssl.port=" + (portBase + 38),
                        "orb.mutualauth.port=" + (portBase + 39), "domain.jmxPort=" + (portBase + 86),
                        "osgi.shell.telnet.port=" + (portBase + 66), "java.debugger.port=" + (portBase + 9)),
                "--nopassword=true", DOMAIN), home);
        Path domain = domains.resolve(DOMAIN);
        copyTree(domainFiles.resolve("lib"), domain.resolve("lib"));
        addJvmOption(domain.resolve("config/domain.xml"), "-javaagent:" + agent.toAbsolutePath());
        for (String option : ServerJvm.PAYARA_PROVIDERS) {
            addJvmOption(domain.resolve("config/domain.xml"), option);
        }
        Path postBoot = domain.resolve("config/post-boot-commands.asadmin");
        Files.writeString(postBoot, Files.readString(domainFiles.resolve("post-boot-commands.asadmin")) + "\n"
                + Files.readString(postBootCommands));
        Map<String, String> serverEnvironment = new HashMap<>(environment);
        serverEnvironment.put("JAVA_HOME", System.getProperty("java.home")); // the domain runs on this JVM's Java
        ChildProcess process = ChildProcess.start("Payara Server", asadmin(home, "start-domain", "--verbose",
                        "--domaindir", domains.toString(),
                        "--prebootcommandfile", domainFiles.resolve("pre-boot-commands.asadmin").toString(),
                        "--postbootcommandfile", postBoot.toString(), DOMAIN),
                serverEnvironment, log);
        PayaraServer server = new PayaraServer(home, domains, portBase + 48, process);
        // HTTP/1.1: the default upgrade to HTTP/2 once deadlocked the admin listener's Grizzly (two of
        // its threads locking each other's stream), and the server never answered again
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        process.awaitReady(Duration.ofSeconds(300), () -> server.resourcesExist(http));
        return server;
    }

    /**
     * A JVM option of the server, written into domain.xml: asadmin's create-jvm-options needs the
     * running domain, and pre-boot commands run in a JVM already started.
     */
    private static void addJvmOption(Path domainXml, String option) throws IOException {
        String xml = Files.readString(domainXml);
        int javaConfig = xml.indexOf("<java-config", xml.indexOf("<config name=\"server-config\">"));
        int afterTag = xml.indexOf('>', javaConfig) + 1;
        Files.writeString(domainXml, xml.substring(0, afterTag) + "\n        <jvm-options>" + option + "</jvm-options>"
                + xml.substring(afterTag));
    }

    public int adminPort() {
        return adminPort;
    }

    ChildProcess process() {
        return process;
    }

    /** Deploys an archive as the named application (the EAR's application.xml gives its context root). */
    public void deploy(Path archive, String name) throws IOException, InterruptedException {
        ChildProcess.runToEnd(asadmin(home, "--port", Integer.toString(adminPort), "deploy", "--name", name,
                "--force=true", archive.toString()), home);
    }

    private boolean resourcesExist(HttpClient http) {
        try {
            for (String resource : APPLICATION_RESOURCES) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + adminPort + "/management/domain/" + resource))
                        .header("Accept", "application/json").timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the domain (the verbose start-domain ends with it). */
    @Override
    public void close() throws Exception {
        try {
            ChildProcess.runToEnd(asadmin(home, "stop-domain", "--domaindir", domains.toString(), DOMAIN), home);
        } finally {
            process.close();
        }
    }

    /** asadmin through its jar: the unpacked distribution's scripts need not be executable. */
    private static List<String> asadmin(Path home, String... arguments) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-jar", home.resolve("glassfish/lib/client/appserver-cli.jar").toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
