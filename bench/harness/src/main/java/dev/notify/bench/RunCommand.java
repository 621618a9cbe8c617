package dev.notify.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The system under test, started and stopped with the run command (server-config/run.sh) in a data
 * folder of the benchmark's own, so that it never touches the run command's own data. The bare
 * bean is deployed beside the application with the run command's --deploy.
 */
final class RunCommand {

    private final Path repository;
    private final Path dataDir;
    private final String server;

    RunCommand(Path repository, Path dataDir, String server) {
        this.repository = repository;
        this.dataDir = dataDir;
        this.server = server;
    }

    boolean prepared() {
        return Files.isDirectory(dataDir.resolve("postgres"));
    }

    /** Starts the system and returns the seconds from the command to ready, as a user waits for them. */
    double start(Path... alsoDeploy) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("server-config/run.sh", "start", "--server", server));
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
        builder.environment().put("NOTIFY_DATA_DIR", dataDir.toString());
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                    + "; see " + dataDir.resolve("logs"));
        }
    }

    /** The resident memory of the processes the run command started, in MB. */
    record Memory(double serverMb, double brokerMb, double runnerMb) {
    }

    Memory memory() throws IOException {
        ProcessHandle runner = ProcessHandle.of(Long.parseLong(Files.readString(dataDir.resolve("runner.pid")).trim()))
                .orElseThrow(() -> new IllegalStateException("the run command is not running"));
        List<ProcessHandle> children = runner.descendants().toList();
        return new Memory(
                residentMb(find(children, "the application server", command -> command.contains("payara-micro.jar")
                        || command.contains("ASMain") || command.contains("jboss-modules.jar"))),
                residentMb(find(children, "the broker", command -> command.contains("org.apache.activemq.artemis.boot.Artemis"))),
                residentMb(runner));
    }

    /** The JVM whose command line matches: the scripts that start some of them do not name their main class. */
    private static ProcessHandle find(List<ProcessHandle> processes, String what, Predicate<String> command) {
        return processes.stream()
                .filter(process -> process.info().commandLine().filter(command).isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no process of " + what + " among the run command's"));
    }

    /** VmRSS from /proc: what the process holds in memory now. */
    private static double residentMb(ProcessHandle process) throws IOException {
        Optional<String> line = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst();
        return Long.parseLong(line.orElseThrow().replaceAll("\\D", "")) / 1024.0;
    }
}
