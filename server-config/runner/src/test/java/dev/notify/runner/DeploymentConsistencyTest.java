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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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
    private static final Pattern VARIABLE = Pattern.compile("NOTIFY_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern DOCKERFILE_ENV = Pattern.compile("(NOTIFY_\\w+)=");
    private static final Pattern DOCKERFILE_ENTRYPOINT = Pattern.compile("ENTRYPOINT \\[([^\\]]*)]");

    /** Where the run command's local addresses point in the compose file's network. */
    private static final Map<String, String> COMPOSE_HOSTS = Map.of(
            "NOTIFY_DB_HOST", "postgres", "NOTIFY_BROKER_HOST", "artemis", "NOTIFY_BROKER_BACKUP_HOST", "artemis",
            "NOTIFY_SMTP_HOST", "sinks",
            "NOTIFY_SMS_ENDPOINT", "sinks", "NOTIFY_PUSH_ENDPOINT", "sinks", "NOTIFY_DEAD_LETTER_WEBHOOK", "sinks",
            "NOTIFY_HTTP_ADDRESS", "0.0.0.0");

    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D(notify\\.broker\\.[\\w.-]+)=(\\S+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(notify\\.broker\\.[\\w.-]+)(:[^}]*)?}");

    private final Map<String, Object> compose = load(REPOSITORY.resolve("docker/compose.yaml"));
    private final Map<String, String> composeEnvironment = composeEnvironment();
    private final Map<String, Object> cluster = load(REPOSITORY.resolve("docker/compose.cluster.yaml"));

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

    @Test
    void theClusterFilesBrokersAreTheRunCommandsPair() throws Exception {
        Path written = Files.createDirectories(Path.of("target/docker-artemis"));
        for (ArtemisBroker.Role role : List.of(ArtemisBroker.Role.PRIMARY, ArtemisBroker.Role.BACKUP)) {
            String name = role.name().toLowerCase(Locale.ROOT);
            Path expected = written.resolve("broker-" + name + ".xml");
            ArtemisBroker.writeBrokerXml(expected, role);
            Path file = REPOSITORY.resolve("docker/artemis/broker-" + name + ".xml");
            assertEquals(Files.readString(expected), Files.readString(file),
                    file + " is the broker.xml the run command writes for the " + name + ": copy " + expected.toAbsolutePath()
                            + " over it");

            Map<String, Object> service = clusterService(role == ArtemisBroker.Role.PRIMARY ? "artemis" : "artemis-backup");
            assertTrue(service.get("volumes").toString().contains("./artemis/broker-" + name + ".xml:/var/lib/artemis-instance/etc-override/broker.xml"));
            Map<String, String> properties = new TreeMap<>();
            Matcher property = SYSTEM_PROPERTY.matcher(((Map<?, ?>) service.get("environment")).get("JAVA_ARGS_APPEND").toString());
            while (property.find()) {
                properties.put(property.group(1), property.group(2));
            }
            Set<String> read = new TreeSet<>();
            Set<String> withoutDefault = new TreeSet<>();
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                read.add(placeholder.group(1));
                if (placeholder.group(2) == null) {
                    withoutDefault.add(placeholder.group(1));
                }
            }
            assertTrue(properties.keySet().containsAll(withoutDefault), name + ": every setting without a default is given");
            assertTrue(read.containsAll(properties.keySet()), name + ": every setting given is read");
            assertEquals(name, properties.get("notify.broker.role"));
            assertEquals(Map.of("notify.broker.primary-host", "artemis", "notify.broker.backup-host", "artemis-backup",
                            "notify.broker.primary-port", composeEnvironment.get("NOTIFY_BROKER_PORT"),
                            "notify.broker.backup-port", composeEnvironment.get("NOTIFY_BROKER_BACKUP_PORT"),
                            "notify.broker.cluster-user", "${NOTIFY_BROKER_USER:-" + composeEnvironment.get("NOTIFY_BROKER_USER") + "}"),
                    Map.of("notify.broker.primary-host", properties.get("notify.broker.primary-host"),
                            "notify.broker.backup-host", properties.get("notify.broker.backup-host"),
                            "notify.broker.primary-port", properties.get("notify.broker.primary-port"),
                            "notify.broker.backup-port", properties.get("notify.broker.backup-port"),
                            "notify.broker.cluster-user", properties.get("notify.broker.cluster-user")));
        }
        assertEquals(service("artemis").get("image"), clusterService("artemis-backup").get("image"));
        assertTrue(clusterService("artemis-backup").get("volumes").toString().contains("artemis-data:/var/lib/artemis-instance/data"),
                "the backup shares the primary's store");
    }

    @Test
    void theClustersSecondInstanceIsTheRunCommandsSecond() {
        Instance second = Settings.fromEnvironment().instance(2);
        Map<String, Object> app2 = clusterService("app-2");
        assertEquals(Map.of("file", "compose.yaml", "service", "app"), app2.get("extends"));
        assertEquals(Map.of("NOTIFY_INSTANCE_ID", second.id(), "NOTIFY_BROKER_BACKUP_HOST", "artemis-backup"), app2.get("environment"));
        assertEquals(Map.of("NOTIFY_BROKER_BACKUP_HOST", "artemis-backup"), clusterService("app").get("environment"));
        assertEquals(List.of("127.0.0.1:" + second.httpPort() + ":8080"), app2.get("ports"));
        assertEquals(List.of("app-2-data:/var/lib/notify"), app2.get("volumes"), "a transaction log of its own");
        assertTrue(service("app").get("volumes").toString().contains("app-data:/var/lib/notify"));
    }

    @Test
    void theLoadBalancerSpreadsOverBothInstances() throws IOException {
        String nginx = Files.readString(REPOSITORY.resolve("docker/lb/nginx.conf"));
        assertTrue(nginx.contains("server app:8080;") && nginx.contains("server app-2:8080;"), "both instances upstream");
        assertTrue(clusterService("lb").get("volumes").toString().contains("./lb/nginx.conf:/etc/nginx/nginx.conf"));
    }

    /**
     * The README's configuration table names every NOTIFY_* variable that anything reads (the
     * application, the servers' configuration, the run command, the compose files and the images),
     * and nothing else; each application setting's row gives its default.
     */
    @Test
    void theConfigurationReferenceIsComplete() throws IOException {
        Map<String, String> rows = configurationTable();
        Set<String> read = new TreeSet<>();
        for (String folder : List.of("server-config/runner/src/main/java", "server-config/payara-micro/src/main/payara",
                "server-config/payara-server/src/main/payara", "server-config/wildfly", "docker")) {
            try (Stream<Path> files = Files.walk(REPOSITORY.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher variable = VARIABLE.matcher(Files.readString(file));
                    while (variable.find()) {
                        read.add(variable.group());
                    }
                }
            }
        }
        Map<String, String> application = applicationProperties();
        read.addAll(application.keySet());

        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(rows.keySet());
        assertTrue(undocumented.isEmpty(), "read but not in the README's configuration table: " + undocumented);
        Set<String> unread = new TreeSet<>(rows.keySet());
        unread.removeAll(read);
        assertTrue(unread.isEmpty(), "in the README's configuration table but read nowhere: " + unread);
        application.forEach((name, applicationDefault) -> {
            if (applicationDefault != null) {
                assertTrue(rows.get(name).contains("`" + applicationDefault + "`"), name + " defaults to " + applicationDefault
                        + ", which its row does not say: " + rows.get(name));
            }
        });
    }

    /** The README's configuration table: each variable it names, with the row that names it. */
    private static Map<String, String> configurationTable() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<String, String> rows = new TreeMap<>();
        for (String row : section.lines().filter(line -> line.startsWith("| `NOTIFY_")).toList()) {
            Matcher variable = VARIABLE.matcher(row.substring(0, row.indexOf(" | ", 2)));
            while (variable.find()) {
                rows.put(variable.group(), row);
            }
        }
        assertTrue(rows.containsKey("NOTIFY_HTTP_PORT"), "the scan finds the table");
        return rows;
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

    @SuppressWarnings("unchecked")
    private Map<String, Object> clusterService(String name) {
        return (Map<String, Object>) ((Map<String, Object>) cluster.get("services")).get(name);
    }

    /** Compose's own tags (!override, !reset) read as the plain value they tag. */
    private static Map<String, Object> load(Path file) {
        SafeConstructor composeTags = new SafeConstructor(new LoaderOptions()) {
            {
                yamlConstructors.put(null, new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        if (node instanceof SequenceNode sequence) {
                            return constructSequence(sequence);
                        }
                        if (node instanceof MappingNode mapping) {
                            return constructMapping(mapping);
                        }
                        return constructScalar((ScalarNode) node);
                    }
                });
            }
        };
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(composeTags).load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
