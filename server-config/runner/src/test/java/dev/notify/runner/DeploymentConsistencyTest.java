package dev.notify.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The container images and the compose file against the run command: every NOTIFY_* variable the
 * application and its server configuration read is set in the compose file (or the image), with the
 * run command's value or the application's default; the broker, its users and the ports are the same.
 */
class DeploymentConsistencyTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("notify.repository", "../..")).normalize();
    private static final Pattern SERVER_CONFIG_VARIABLE = Pattern.compile("\\$\\{(?:ENV=|env\\.)(NOTIFY_\\w+)");
    private static final Pattern CONFIG_PROPERTY =
            Pattern.compile("@ConfigProperty\\(name = \"(notify\\.[^\"]+)\"(?:, defaultValue = \"([^\"]*)\")?\\)");
    private static final Pattern COMPOSE_DEFAULT = Pattern.compile("\\$\\{(\\w+):-(.*)}");
    private static final Pattern DOCKERFILE_ENV = Pattern.compile("(NOTIFY_\\w+)=");
    private static final Pattern DOCKERFILE_ENTRYPOINT = Pattern.compile("ENTRYPOINT \\[([^\\]]*)]");

    /** Where the run command's local addresses point in the compose file's network. */
    private static final Map<String, String> COMPOSE_HOSTS = Map.of(
            "NOTIFY_DB_HOST", "postgres", "NOTIFY_BROKER_HOST", "artemis", "NOTIFY_BROKER_BACKUP_HOST", "artemis",
            "NOTIFY_SMTP_HOST", "sinks",
            "NOTIFY_SMS_ENDPOINT", "sinks", "NOTIFY_PUSH_ENDPOINT", "sinks", "NOTIFY_DEAD_LETTER_WEBHOOK", "sinks",
            "NOTIFY_HTTP_ADDRESS", "0.0.0.0");

    private final Map<String, Object> compose = load(REPOSITORY.resolve("docker/compose.yaml"));
    private final Map<String, String> composeEnvironment = composeEnvironment();

    @Test
    void everyServerImageGetsEveryVariableItsServerAndTheApplicationRead() throws IOException {
        Set<String> application = applicationProperties().keySet();
        Set<String> payara = variablesIn("server-config/payara-micro/src/main/payara/post-boot-commands.asadmin");
        Set<String> payaraMicro = variablesIn("server-config/payara-micro/src/main/payara/pre-boot-commands.asadmin");
        Set<String> payaraServer = variablesIn("server-config/payara-server/src/main/payara/pre-boot-commands.asadmin");
        Set<String> wildfly = variablesIn("server-config/wildfly/configure-notify.cli");
        assertRead("payara-micro", union(application, payara, payaraMicro));
        assertRead("payara", union(application, payara, payaraServer));
        assertRead("wildfly", union(application, wildfly));
    }

    @Test
    void theComposeFileHasTheRunCommandsValues() {
        Settings settings = Settings.fromEnvironment();
        Map<String, String> runCommand = settings.serverEnvironment(Path.of("notify-artemis-rar.rar"), settings.instance(1));
        for (Map.Entry<String, String> variable : runCommand.entrySet()) {
            String name = variable.getKey();
            if (!composeEnvironment.containsKey(name)) {
                continue; // set by the image (paths, the listening address) or read by the runner only
            }
            assertEquals(inComposeNetwork(name, variable.getValue()), composeEnvironment.get(name), name);
        }
    }

    @Test
    void theComposeFileHasTheApplicationsDefaults() throws IOException {
        applicationProperties().forEach((name, applicationDefault) -> {
            if (applicationDefault != null) {
                assertEquals(inComposeNetwork(name, applicationDefault), composeEnvironment.get(name), name);
            }
        });
    }

    @Test
    void theBrokerIsTheRunCommandsBroker() throws IOException {
        Map<String, Object> artemis = service("artemis");
        assertTrue(artemis.get("volumes").toString().contains(
                "../server-config/broker/src/main/resources/notify-broker/broker.xml:"), "the product's broker.xml");
        assertTrue(artemis.get("environment").toString().contains(
                "-Dnotify.broker.port=" + composeEnvironment.get("NOTIFY_BROKER_PORT")), "the broker's port");
        Settings settings = Settings.fromEnvironment();
        assertEquals(settings.brokerPort(), Integer.parseInt(composeEnvironment.get("NOTIFY_BROKER_PORT")));
        assertTrue(Files.readAllLines(REPOSITORY.resolve("docker/artemis/artemis-roles.properties"))
                .contains(ArtemisBroker.BROKER_ROLE + " = " + settings.brokerUser()), "the application's role");
        assertTrue(Files.readAllLines(REPOSITORY.resolve("docker/artemis/artemis-users.properties"))
                .contains(settings.brokerUser() + " = " + settings.brokerPassword()), "the application's user");
    }

    @Test
    void theComposeFileListensWhereTheRunCommandDoes() {
        Settings settings = Settings.fromEnvironment();
        assertEquals(Integer.toString(settings.dbPort()), composeEnvironment.get("NOTIFY_DB_PORT"));
        assertTrue(service("postgres").get("command").toString().contains("port=" + settings.dbPort()));
        assertEquals(List.of("127.0.0.1:" + settings.httpPort() + ":8080"), service("app").get("ports"));
        assertEquals(List.of("127.0.0.1:" + settings.sinkPort() + ":" + settings.sinkPort()), service("sinks").get("ports"));
        assertEquals(Integer.toString(settings.smtpPort()), composeEnvironment.get("NOTIFY_SMTP_PORT"));
    }

    @Test
    void everyServerOfTheRunCommandHasAnImage() {
        @SuppressWarnings("unchecked")
        String dockerfile = ((Map<String, Object>) service("app").get("build")).get("dockerfile").toString();
        assertEquals("docker/${NOTIFY_SERVER:-" + Runner.Server.PAYARA_MICRO.option + "}/Dockerfile", dockerfile);
        for (Runner.Server server : Runner.Server.values()) {
            assertTrue(Files.isRegularFile(REPOSITORY.resolve("docker/" + server.option + "/Dockerfile")), server.option);
        }
    }

    @Test
    void thePayaraMicroImageStartsTheServerAsTheRunCommandDoes() throws IOException {
        Matcher entrypoint = DOCKERFILE_ENTRYPOINT.matcher(Files.readString(REPOSITORY.resolve("docker/payara-micro/Dockerfile")));
        assertTrue(entrypoint.find(), "an ENTRYPOINT in exec form");
        List<String> arguments = Stream.of(entrypoint.group(1).replaceAll("\\\\\\R", " ").split(","))
                .map(argument -> argument.strip().replaceAll("^\"|\"$", ""))
                .filter(argument -> !argument.equals("java") && !argument.startsWith("-XX:")).toList();
        assertEquals(Runner.payaraMicroArguments(Path.of(""), 8080), arguments);
    }

    private void assertRead(String server, Set<String> read) throws IOException {
        Set<String> given = new TreeSet<>(composeEnvironment.keySet());
        Matcher env = DOCKERFILE_ENV.matcher(Files.readString(REPOSITORY.resolve("docker/" + server + "/Dockerfile")));
        while (env.find()) {
            given.add(env.group(1));
        }
        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(given);
        assertTrue(missing.isEmpty(), server + ": read but neither in the compose file nor in the image: " + missing);
    }

    /** The run command's value as the compose file must give it: the same, with the network's host names. */
    private static String inComposeNetwork(String name, String value) {
        String host = COMPOSE_HOSTS.get(name);
        return host == null ? value : value.replace("127.0.0.1", host);
    }

    /** MicroProfile Config properties of the application as environment variables, with their defaults (or null). */
    private static Map<String, String> applicationProperties() throws IOException {
        Map<String, String> properties = new TreeMap<>();
        for (String module : List.of("persistence", "ejb-module", "web-module")) {
            try (Stream<Path> sources = Files.walk(REPOSITORY.resolve(module + "/src/main/java"))) {
                for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Matcher property = CONFIG_PROPERTY.matcher(Files.readString(source));
                    while (property.find()) {
                        properties.put(property.group(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                                property.group(2));
                    }
                }
            }
        }
        assertTrue(properties.containsKey("NOTIFY_DELIVERY_MAX_ATTEMPTS"), "the scan finds the application's settings");
        return properties;
    }

    private static Set<String> variablesIn(String file) throws IOException {
        Set<String> variables = new TreeSet<>();
        Matcher variable = SERVER_CONFIG_VARIABLE.matcher(Files.readString(REPOSITORY.resolve(file)));
        while (variable.find()) {
            variables.add(variable.group(1));
        }
        assertTrue(!variables.isEmpty(), file);
        return variables;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> union = new TreeSet<>();
        for (Set<String> set : sets) {
            union.addAll(set);
        }
        return union;
    }

    /** The app's environment, each ${NAME:-default} replaced by its default. */
    private Map<String, String> composeEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> declared = (Map<String, Object>) service("app").get("environment");
        declared.forEach((name, value) -> {
            Matcher withDefault = COMPOSE_DEFAULT.matcher(value.toString());
            environment.put(name, withDefault.matches() ? withDefault.group(2) : value.toString());
        });
        return environment;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    private static Map<String, Object> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
