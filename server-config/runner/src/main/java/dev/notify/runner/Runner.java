package dev.notify.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the whole system in the foreground: PostgreSQL, Artemis and the application on the chosen
 * server (--server payara-micro, payara or wildfly; Payara Micro by default), the database and
 * broker only if not given from outside; with --cluster, the brokers as an HA pair and two
 * application instances; starts again any of those that dies, with its data; stops them in
 * reverse order on Ctrl-C.
 */
public final class Runner {

    /** The application servers the run command offers; the same broker, database, sinks and URLs on each. */
    enum Server {
        PAYARA_MICRO("payara-micro", "Payara Micro"),
        PAYARA("payara", "Payara Server"),
        WILDFLY("wildfly", "WildFly");

        final String option;
        final String title;

        Server(String option, String title) {
            this.option = option;
            this.title = title;
        }

        static Server of(String option) {
            for (Server server : values()) {
                if (server.option.equals(option)) {
                    return server;
                }
            }
            throw new IllegalArgumentException("no server " + option + "; choose payara-micro, payara or wildfly");
        }
    }

    /**
     * The command line: the server, whether to start the cluster (the brokers as an HA pair, two
     * application instances), and applications to deploy beside the service (the benchmark's bare
     * bean, an extension of your own); none by default.
     */
    record Options(Server server, boolean cluster, List<Path> alsoDeploy) {

        static final String USAGE = "usage: [--server payara-micro|payara|wildfly] [--cluster] [--deploy ARCHIVE]...";

        static Options of(String[] args) {
            Server server = Server.PAYARA_MICRO;
            boolean cluster = false;
            List<Path> alsoDeploy = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--cluster")) {
                    cluster = true;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(USAGE + " (" + args[i] + " has no value)");
                }
                switch (args[i]) {
                    case "--server" -> server = Server.of(args[++i]);
                    case "--deploy" -> alsoDeploy.add(existing(Path.of(args[++i]).toAbsolutePath()));
                    default -> throw new IllegalArgumentException(USAGE + " (given: " + String.join(" ", args) + ")");
                }
            }
            return new Options(server, cluster, List.copyOf(alsoDeploy));
        }

        private static Path existing(Path archive) {
            if (!Files.isRegularFile(archive)) {
                throw new IllegalArgumentException("nothing to deploy at " + archive);
            }
            return archive;
        }
    }

    /** Payara Server's ports count from here (administration on 14848), off the usual ones; the second instance's from 14900. */
    private static final int PAYARA_PORT_BASE = 14800;
    /** How far the ports of the second instance's Payara Server or WildFly are from the first's. */
    private static final int SECOND_INSTANCE_PORT_OFFSET = 100;
    /** The product's Java agent for both Payara servers (server-config/payara-agent), in the runtime folder. */
    private static final String PAYARA_AGENT = "notify-payara-agent.jar";

    private final Settings settings;
    private final Server server;
    private final boolean cluster;
    /** The application instances: one, or two in the cluster. */
    private final List<Instance> instances;
    private final List<Path> alsoDeploy;
    private final Path runtime;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** What the watch keeps running, in the order of their dependencies: database, broker, server. */
    private final List<Supervised> supervised = new ArrayList<>();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notify-watch");
        thread.setDaemon(true);
        return thread;
    });

    private Runner(Settings settings, Options options, Path runtime) {
        this.cluster = options.cluster();
        this.settings = cluster ? settings.withBrokerPair() : settings;
        this.server = options.server();
        this.instances = cluster ? List.of(settings.instance(1), settings.instance(2)) : List.of(settings.instance(1));
        this.alsoDeploy = options.alsoDeploy();
        this.runtime = runtime;
    }

    public static void main(String[] args) throws Exception {
        try (var logging = Runner.class.getResourceAsStream("/logging.properties")) {
            java.util.logging.LogManager.getLogManager().readConfiguration(logging);
        }
        Path jar = Path.of(Runner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Options options;
        try {
            options = Options.of(args);
        } catch (IllegalArgumentException e) {
            System.err.println("[notify] " + e.getMessage());
            System.exit(2);
            return;
        }
        Runner runner = new Runner(Settings.fromEnvironment(), options, jar.resolveSibling("runtime"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.stopAll();
            stopped.countDown();
        }));
        try {
            runner.startAll();
        } catch (Exception e) {
            System.err.println("[notify] Could not start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void startAll() throws Exception {
        long begin = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        for (Instance instance : instances) {
            checkFree(instance.httpPort(), "NOTIFY_HTTP_PORT");
        }
        checkFree(settings.smtpPort(), "NOTIFY_SMTP_PORT");
        checkFree(settings.sinkPort(), "NOTIFY_SINK_PORT");
        // the database, the broker and the sinks do not depend on each other: started together
        List<Callable<AutoCloseable>> infrastructure = new ArrayList<>();
        if (settings.embeddedDatabase()) {
            checkFree(settings.dbPort(), "NOTIFY_DB_PORT");
            say("Starting PostgreSQL on port " + settings.dbPort());
            infrastructure.add(() -> Supervised.start("PostgreSQL", "127.0.0.1:" + settings.dbPort(), hold("database"), () -> {
                EmbeddedDatabase database = EmbeddedDatabase.start(settings.dataDir().resolve("postgres"), settings.dbPort(),
                        settings.dbName(), settings.dbUser(), settings.dbPassword());
                return new Supervised.Running(database, database::pid, database::alive);
            }));
        }
        if (settings.embeddedBroker()) {
            checkFree(settings.brokerPort(), "NOTIFY_BROKER_PORT");
            if (cluster) {
                checkFree(settings.brokerBackupPort(), "NOTIFY_BROKER_BACKUP_PORT");
                say("Starting Artemis as an HA pair on a shared store: primary on port " + settings.brokerPort()
                        + ", backup on port " + settings.brokerBackupPort());
                infrastructure.add(() -> startBroker(ArtemisBroker.Role.PRIMARY));
                infrastructure.add(() -> {
                    // the backup waits for the primary to hold the store first
                    for (int wait = 0; !ChildProcess.listening(settings.brokerHost(), settings.brokerPort()); wait++) {
                        if (wait == 4 * 120) {
                            throw new IllegalStateException("the primary broker did not start; the backup was not started");
                        }
                        TimeUnit.MILLISECONDS.sleep(250);
                    }
                    return startBroker(ArtemisBroker.Role.BACKUP);
                });
            } else {
                say("Starting Artemis on port " + settings.brokerPort());
                infrastructure.add(() -> startBroker(ArtemisBroker.Role.ALONE));
            }
        }
        say("Starting the local sinks: SMTP on port " + settings.smtpPort() + ", SMS and push providers on port " + settings.sinkPort());
        // what the sinks received outlives their restart (the host's): kept in the data folder
        infrastructure.add(() -> LocalSinks.start(settings.smtpPort(), settings.sinkPort(), settings.dataDir().resolve("sinks")));
        startTogether(infrastructure);
        started.forEach(part -> {
            if (part instanceof Supervised infrastructurePart) {
                supervised.add(0, infrastructurePart); // the deque holds them newest first
            }
        });
        for (Instance instance : instances) {
            say("Starting " + title(instance) + " on port " + instance.httpPort());
            Supervised application = Supervised.start(title(instance), instance.baseUrl(), hold("server" + instance.suffix()), () -> startServer(instance));
            started.push(application);
            supervised.add(application);
        }
        writeStatus();
        watch.scheduleWithFixedDelay(this::keepRunning, 1, 1, TimeUnit.SECONDS);
        Settings.Callers callers = settings.callers();
        say(String.format("Ready in %.1f s (pid %d).%n  API:        %s%n"
                        + "  Publisher:  header X-API-Key: %s (or login %s / %s)%n"
                        + "  Admin API:  %s/api/v1/admin/destinations (operator login %s / %s)%n"
                        + "  Sent mail:  %s/mail%n  Sent SMS:   %s/sms%n  Sent push:  %s/push%n  Brokers:    %s%n"
                        + "  Data:       %s%n  Logs:       %s%n"
                        + "  Stop with Ctrl-C (or server-config/run.sh stop when started with \"start\").",
                (System.nanoTime() - begin) / 1e9, ProcessHandle.current().pid(), apiUrls(),
                callers.publisherApiKey(), callers.publisherUser(), callers.publisherPassword(),
                baseUrl(), callers.operatorUser(), callers.operatorPassword(),
                settings.sinkUrl(), settings.sinkUrl(), settings.sinkUrl(), brokerUrls(),
                settings.dataDir(), settings.dataDir().resolve("logs")));
    }

    /**
     * Runs the starts in parallel and keeps what started, in the given order, for stopping in
     * reverse; throws the first failure once every start has ended.
     */
    private void startTogether(List<Callable<AutoCloseable>> starts) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(starts.size());
        try {
            List<Future<AutoCloseable>> running = starting.invokeAll(starts);
            Exception failure = null;
            for (Future<AutoCloseable> start : running) {
                try {
                    started.push(start.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starting.shutdown();
        }
    }

    private Supervised startBroker(ArtemisBroker.Role role) throws Exception {
        int port = role == ArtemisBroker.Role.BACKUP ? settings.brokerBackupPort() : settings.brokerPort();
        return Supervised.start(role.title, "tcp://127.0.0.1:" + port, hold(role.instance), () -> {
            ChildProcess broker = ArtemisBroker.start(settings, runtime.resolve("apache-artemis-bin.tar.gz"), role);
            return new Supervised.Running(broker, broker::pid, broker::alive);
        });
    }

    /** The server's name in the status and the messages: numbered in the cluster. */
    private String title(Instance instance) {
        return cluster ? server.title + " " + instance.number() : server.title;
    }

    /** An instance's server, started and ready: its API answers. */
    private Supervised.Running startServer(Instance instance) throws Exception {
        AutoCloseable handle = switch (server) {
            case PAYARA_MICRO -> startPayaraMicro(instance);
            case PAYARA -> startPayaraServer(instance);
            case WILDFLY -> startWildFly(instance);
        };
        ChildProcess process = handle instanceof PayaraServer payara ? payara.process() : (ChildProcess) handle;
        try {
            process.awaitReady(Duration.ofSeconds(240), () -> applicationAnswers(instance));
        } catch (Exception e) {
            handle.close();
            throw e;
        }
        return new Supervised.Running(handle, process::pid, process::alive);
    }

    /** The file that keeps a part down once it has died, for as long as it exists (data/hold/database, broker or server). */
    private Path hold(String part) {
        return settings.dataDir().resolve("hold").resolve(part);
    }

    /** The watch: every part that has died is started again, in the order of their dependencies. */
    private void keepRunning() {
        for (Supervised part : supervised) {
            part.keepRunning(Runner::say, this::writeStatus);
        }
        writeStatus();
    }

    /** What server-config/run.sh status shows: a line per part (name, state, pid, restarts). */
    private void writeStatus() {
        List<String> lines = supervised.stream().map(Supervised::status).toList();
        try {
            Path status = settings.dataDir().resolve("status");
            Path written = Files.write(status.resolveSibling("status.new"), lines);
            Files.move(written, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            say("Could not write the status file: " + e);
        }
    }

    /** Payara Micro; each instance records and uses a class data sharing archive of its own (one is written as the JVM ends). */
    private ChildProcess startPayaraMicro(Instance instance) throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildProcess.java()));
        command.addAll(ServerJvm.OPTIONS);
        command.addAll(classDataSharing(settings.dataDir().resolve("payara-micro" + instance.suffix() + ".jsa")));
        command.addAll(payaraMicroArguments(runtime, instance.httpPort()));
        alsoDeploy.forEach(archive -> command.addAll(List.of("--deploy", archive.toString())));
        return ChildProcess.start(title(instance), command, serverEnvironment(instance),
                settings.dataDir().resolve("logs/payara-micro" + instance.suffix() + ".log"));
    }

    /**
     * Payara Micro's command line after the JVM's sizing, with its files in {@code runtime}; the
     * container image starts it the same way. The agent and the pre-boot and post-deploy commands
     * keep the HTTP listener closed until the application is deployed, and close it first when the
     * server stops (server-config/payara-agent).
     */
    static List<String> payaraMicroArguments(Path runtime, int httpPort) {
        return Stream.concat(ServerJvm.PAYARA_PROVIDERS.stream(), Stream.of("-javaagent:" + runtime.resolve(PAYARA_AGENT),
                "-jar", runtime.resolve("payara-micro.jar").toString(),
                "--nocluster", "--nohazelcast", "--port", Integer.toString(httpPort),
                "--addlibs", runtime.resolve("postgresql.jar").toString(),
                "--logProperties", runtime.resolve("logging.properties").toString(),
                "--prebootcommandfile", runtime.resolve("pre-boot-commands.asadmin").toString(),
                "--postbootcommandfile", runtime.resolve("post-boot-commands.asadmin").toString(),
                "--postdeploycommandfile", runtime.resolve("post-deploy-commands.asadmin").toString(),
                "--deploy", runtime.resolve("notify-payara-micro.war").toString())).toList();
    }

    /**
     * Payara Micro's classes from a class data sharing archive that the JVM recorded when the
     * previous run ended: it started in 12.0 to 12.3 s instead of 13.3 to 14.2 (measured by hand,
     * twice each). Recorded anew, without its thousands of warnings about classes it cannot
     * keep, when there is none or a build has changed the runtime since.
     */
    private List<String> classDataSharing(Path archive) throws IOException {
        if (Files.exists(archive)) {
            FileTime recorded = Files.getLastModifiedTime(archive);
            try (Stream<Path> files = Files.walk(runtime)) {
                if (files.anyMatch(file -> lastModified(file).compareTo(recorded) > 0)) {
                    Files.delete(archive);
                }
            }
        }
        return Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive)
                // the JVM records no archive beside a Java agent unless told that this one changes no class
                : List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                        "-XX:+UnlockDiagnosticVMOptions", "-XX:+AllowArchivingWithJavaAgent");
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new domain on every start (see PayaraServer), one per instance from one unpacked
     * distribution; the EAR deployed once its resources exist.
     */
    private PayaraServer startPayaraServer(Instance instance) throws Exception {
        Path home = Distribution.unpack(runtime.resolve("payara.zip"), settings.dataDir().resolve("payara-home"));
        PayaraServer payara = PayaraServer.start(home, runtime.resolve("payara-server"),
                runtime.resolve("post-boot-commands.asadmin"), runtime.resolve(PAYARA_AGENT),
                settings.dataDir().resolve("payara-domains" + instance.suffix()),
                PAYARA_PORT_BASE + portOffset(instance), instance.httpPort(), serverEnvironment(instance),
                settings.dataDir().resolve("logs/payara-server" + instance.suffix() + ".log"));
        try {
            payara.deploy(runtime.resolve("notify-ear.ear"), "notify");
            for (Path archive : alsoDeploy) {
                payara.deploy(archive, applicationName(archive));
            }
        } catch (Exception e) {
            payara.close();
            throw e;
        }
        return payara;
    }

    /**
     * A fresh copy of the unpacked distribution on every start (the CLI script configures a new
     * server once), one per instance, the EAR in its deployment scanner's directory. The second
     * instance's ports are WildFly's own offset from the first's (its management on 10090).
     */
    private ChildProcess startWildFly(Instance instance) throws IOException, InterruptedException {
        Path home = Distribution.unpack(runtime.resolve("wildfly-dist.tar.gz"), settings.dataDir().resolve("wildfly-home"));
        Path wildfly = settings.dataDir().resolve("wildfly" + instance.suffix());
        Directories.deleteRecursively(wildfly);
        ChildProcess.runToEnd(List.of("cp", "-a", home.toString(), wildfly.toString()), settings.dataDir());
        ChildProcess.runToEnd(List.of(wildfly.resolve("bin/jboss-cli.sh").toString(),
                "--file=" + runtime.resolve("configure-notify.cli"),
                "-Dpostgresql.jar=" + runtime.resolve("postgresql.jar")), wildfly);
        Files.copy(runtime.resolve("notify-ear.ear"), wildfly.resolve("standalone/deployments/notify.ear"));
        for (Path archive : alsoDeploy) {
            Files.copy(archive, wildfly.resolve("standalone/deployments").resolve(archive.getFileName()));
        }
        Map<String, String> environment = serverEnvironment(instance);
        environment.put("JAVA_HOME", System.getProperty("java.home")); // standalone.sh runs this JVM's Java
        environment.put("JAVA_OPTS", String.join(" ", ServerJvm.OPTIONS) + " -Djava.net.preferIPv4Stack=true");
        int offset = portOffset(instance);
        return ChildProcess.start(title(instance), List.of(wildfly.resolve("bin/standalone.sh").toString(),
                        "-c", "standalone-full.xml", "-b", "127.0.0.1", "-Djboss.socket.binding.port-offset=" + offset,
                        "-Djboss.http.port=" + (instance.httpPort() - offset)),
                environment, settings.dataDir().resolve("logs/wildfly" + instance.suffix() + ".log"));
    }

    /** notify-bench-bare-bean.war as notify-bench-bare-bean. */
    private static String applicationName(Path archive) {
        String file = archive.getFileName().toString();
        return file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    }

    /** The second instance's server ports (other than HTTP) are this far from the first's. */
    private static int portOffset(Instance instance) {
        return (instance.number() - 1) * SECOND_INSTANCE_PORT_OFFSET;
    }

    private Map<String, String> serverEnvironment(Instance instance) {
        Map<String, String> environment = settings.serverEnvironment(runtime.resolve("notify-artemis-rar.rar"), instance);
        environment.putAll(ServerJvm.ENVIRONMENT);
        return environment;
    }

    /**
     * Over HTTP/1.1: with the JDK's default (an upgrade to cleartext HTTP/2), a connection that
     * Payara answered while still starting stayed refused after it was ready.
     */
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** The application is deployed when its API answers a publisher's query for an unknown event with its own 404 problem. */
    private boolean applicationAnswers(Instance instance) {
        try {
            HttpResponse<Void> response = PROBE.send(
                    HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/events/readiness-probe"))
                            .header("X-API-Key", settings.callers().publisherApiKey())
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 404
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Where the clients find the brokers: the pair's, primary first, or the one. */
    private String brokerUrls() {
        String primary = "tcp://" + settings.brokerHost() + ":" + settings.brokerPort();
        return settings.brokerPair()
                ? primary + " (primary), tcp://" + settings.brokerBackupHost() + ":" + settings.brokerBackupPort() + " (backup)"
                : primary;
    }

    /** The first instance's URL: the admin API and console are on every instance alike. */
    private String baseUrl() {
        return instances.get(0).baseUrl();
    }

    /** The publishing API of every instance. */
    private String apiUrls() {
        return String.join(", ", instances.stream()
                .map(instance -> instance.baseUrl() + "/api/v1/events" + (cluster ? " (" + instance.id() + ")" : ""))
                .toList());
    }

    private void stopAll() {
        watch.shutdownNow();
        try {
            watch.awaitTermination(1, TimeUnit.MINUTES); // a restart under way is interrupted, and what it started stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!started.isEmpty()) {
            say("Stopping...");
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("While stopping: " + e);
            }
        }
        try {
            Files.deleteIfExists(settings.dataDir().resolve("status"));
        } catch (IOException e) {
            System.err.println("While stopping: " + e);
        }
        say("Stopped.");
    }

    private static void checkFree(int port, String variable) {
        if (ChildProcess.listening("127.0.0.1", port)) {
            throw new IllegalStateException("port " + port + " is already in use; stop what holds it or set "
                    + variable + " to another port");
        }
    }

    private static void say(String message) {
        System.out.println("[notify] " + message);
    }
}
