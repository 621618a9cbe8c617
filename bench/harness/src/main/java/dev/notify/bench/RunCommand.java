package dev.notify.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The system under test, started and stopped with the run command (server-config/run.sh) in a data
 * folder of the benchmark's own, so that it never touches the run command's own data. The bare
 * bean is deployed beside the application with the run command's --deploy.
 */
final class RunCommand {

    private final Path repository;
    private final Path dataDir;
    private final String server;
    /** Whether the brokers are an HA pair (the run command's --cluster). */
    private final boolean cluster;
    /** Settings of the application for this run, on top of the environment. */
    private final Map<String, String> settings;

    RunCommand(Path repository, Path dataDir, String server, boolean cluster, Map<String, String> settings) {
        this.repository = repository;
        this.dataDir = dataDir;
        this.server = server;
        this.cluster = cluster;
        this.settings = settings;
    }

    /** The folder of the servers' logs (their output, appended across restarts). */
    Path logs() {
        return dataDir.resolve("logs");
    }

    /** How many application instances the system runs. */
    int instances() {
        return cluster ? 2 : 1;
    }

    boolean prepared() {
        return Files.isDirectory(dataDir.resolve("postgres"));
    }

    /** Starts the system and returns the seconds from the command to ready, as a user waits for them. */
    double start(Path... alsoDeploy) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("server-config/run.sh", "start", "--server", server));
        if (cluster) {
            command.add("--cluster");
        }
        for (Path archive : alsoDeploy) {
            command.addAll(List.of("--deploy", archive.toAbsolutePath().toString()));
        }
        long begin = System.nanoTime();
        run(command);
        return (System.nanoTime() - begin) / 1e9;
    }

    void stop() throws IOException, InterruptedException {
        run(List.of("server-config/run.sh", "stop"));
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile()).inheritIO();
        builder.environment().putAll(settings);
        builder.environment().put("NOTIFY_DATA_DIR", dataDir.toString());
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                    + "; see " + dataDir.resolve("logs"));
        }
    }

    /**
     * Kills (SIGKILL) what is left of the system's processes after a stop: a server the run command
     * was still starting when it stopped, found by the data folder in its command line.
     */
    void killLeftovers() throws InterruptedException {
        String folder = dataDir.toString();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid()
                        && process.info().commandLine().filter(command -> command.contains(folder)).isPresent())
                .toList();
        left.forEach(process -> {
            Benchmark.say("  left after the stop, killed: pid " + process.pid());
            process.destroyForcibly();
        });
        for (ProcessHandle process : left) {
            process.onExit().completeOnTimeout(process, 30, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }

    /** The resident memory of the processes the run command started, in MB. */
    record Memory(double serverMb, double brokerMb, double runnerMb) {
    }

    Memory memory() throws IOException {
        double servers = 0;
        for (ProcessHandle server : servers()) {
            servers += residentMb(server);
        }
        return new Memory(servers, residentMb(broker()), residentMb(runner()));
    }

    /**
     * The CPU seconds each part of the system has used so far: the server, the broker, PostgreSQL
     * (all its processes), the run command's JVM (the sinks) and this benchmark.
     */
    Map<String, Double> cpuSeconds() throws IOException {
        Map<String, Double> cpu = new LinkedHashMap<>();
        double servers = 0;
        for (ProcessHandle server : servers()) {
            servers += cpuSeconds(server);
        }
        cpu.put("server", servers);
        cpu.put("broker", cpuSeconds(broker()));
        cpu.put("database", databaseCpuSeconds());
        cpu.put("runner", cpuSeconds(runner()));
        cpu.put("bench", cpuSeconds(ProcessHandle.current()));
        return cpu;
    }

    private double databaseCpuSeconds() throws IOException {
        double seconds = 0;
        for (ProcessHandle process : database()) {
            seconds += cpuSeconds(process);
        }
        return seconds;
    }

    /** PostgreSQL's server process runs detached from the run command: found by its data folder, with its backends. */
    List<ProcessHandle> database() {
        String dataFolder = dataDir.resolve("postgres").toString();
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().filter(command -> command.contains(dataFolder)).isPresent())
                .forEach(server -> {
                    processes.add(server);
                    processes.addAll(server.descendants().toList());
                });
        return processes;
    }

    /** The run command, what it started, and PostgreSQL: every process of the system. */
    List<ProcessHandle> everyProcess() throws IOException {
        List<ProcessHandle> processes = new ArrayList<>(List.of(runner()));
        processes.addAll(children());
        processes.addAll(database());
        return processes;
    }

    /** SIGKILL (force) or SIGTERM. */
    void kill(ProcessHandle process, boolean force) {
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    /** Keeps a part (database, broker, server) down once it dies, or lets the run command start it again. */
    void hold(String part, boolean held) throws IOException {
        Path hold = dataDir.resolve("hold").resolve(part);
        if (held) {
            Files.createDirectories(hold.getParent());
            Files.writeString(hold, "held by the fault-injection suite\n");
        } else {
            Files.deleteIfExists(hold);
        }
    }

    /** Starts a flight recording of the server (JFR's "profile" settings), written where the recording stops. */
    void startProfiling(Path recording) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + recording);
    }

    void stopProfiling() throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=bench");
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server().pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
        }
    }

    private ProcessHandle runner() throws IOException {
        return ProcessHandle.of(Long.parseLong(Files.readString(dataDir.resolve("runner.pid")).trim()))
                .orElseThrow(() -> new IllegalStateException("the run command is not running"));
    }

    private List<ProcessHandle> children() throws IOException {
        return runner().descendants().toList();
    }

    /** The API of every application instance: the run command's second is on the port after the first's. */
    List<String> apiUrls() {
        int first = Integer.parseInt(Optional.ofNullable(System.getenv("NOTIFY_HTTP_PORT")).orElse("8080"));
        return (cluster ? List.of(first, first + 1) : List.of(first)).stream().map(port -> "http://127.0.0.1:" + port + "/api/v1").toList();
    }

    /** Every application instance's server JVM. */
    List<ProcessHandle> servers() throws IOException {
        return cluster ? List.of(server(1), server(2)) : List.of(server(1));
    }

    /** The first application instance's server JVM. */
    ProcessHandle server() throws IOException {
        return server(1);
    }

    /**
     * Application instance {@code number}'s server JVM (1, or 2 in the cluster): the process of its
     * line in the run command's status file ("Payara Micro 2"), or the JVM that its script started.
     */
    ProcessHandle server(int number) throws IOException {
        String suffix = cluster ? " " + number : "";
        long pid = Files.readAllLines(dataDir.resolve("status")).stream()
                .map(line -> line.split("\t"))
                .filter(fields -> fields[0].endsWith(suffix) && SERVER_NAMES.stream().anyMatch(name -> fields[0].equals(name + suffix)))
                .mapToLong(fields -> Long.parseLong(fields[2]))
                .findFirst().orElseThrow(() -> new IllegalStateException("no application instance " + number + " in the status"));
        ProcessHandle started = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("instance " + number + " is down"));
        List<ProcessHandle> candidates = new ArrayList<>(List.of(started));
        candidates.addAll(started.descendants().toList());
        return find(candidates, "application instance " + number, command -> command.contains("payara-micro.jar")
                || command.contains("ASMain") || command.contains("jboss-modules.jar"));
    }

    /** The servers' names in the run command's status, numbered in the cluster. */
    private static final List<String> SERVER_NAMES = List.of("Payara Micro", "Payara Server", "WildFly");

    /** The broker alone, or the primary of the pair (whose instance is the lone broker's). */
    ProcessHandle broker() throws IOException {
        Pattern instance = Pattern.compile("-Dartemis\\.instance=" + Pattern.quote(dataDir.resolve("broker").toString()) + "(\\s|$)");
        return find(children(), "the broker", command -> command.contains("org.apache.activemq.artemis.boot.Artemis")
                && instance.matcher(command).find());
    }

    /** The JVM whose command line matches: the scripts that start some of them do not name their main class. */
    private static ProcessHandle find(List<ProcessHandle> processes, String what, Predicate<String> command) {
        return processes.stream()
                .filter(process -> process.info().commandLine().filter(command).isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no process of " + what + " among the run command's"));
    }

    /** User and system time from /proc (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
    private static double cpuSeconds(ProcessHandle process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the command name may hold spaces
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** VmRSS from /proc: what the process holds in memory now. */
    private static double residentMb(ProcessHandle process) throws IOException {
        Optional<String> line = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst();
        return Long.parseLong(line.orElseThrow().replaceAll("\\D", "")) / 1024.0;
    }
}
