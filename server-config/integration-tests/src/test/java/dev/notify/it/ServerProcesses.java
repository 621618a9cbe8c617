package dev.notify.it;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Ends each test class's Payara Micro before the next class starts its own. Arquillian's Payara
 * Micro container starts a server for every class and, when the class ends, only signals it to
 * stop: the server undeploys and shuts down while the next one boots, its message-driven beans
 * still consuming from the shared broker and its HTTP listener answering 404.
 */
public class ServerProcesses implements TestExecutionListener {

    private static final long STOP_SECONDS = 60;

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.getSource().filter(ClassSource.class::isInstance).isEmpty()) {
            return;
        }
        ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("payara-micro.jar"))
                .forEach(ServerProcesses::awaitEnd);
    }

    private static void awaitEnd(ProcessHandle server) {
        long start = System.nanoTime();
        try {
            server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            System.out.printf("Payara Micro %d stopped after %d ms%n", server.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (TimeoutException e) {
            System.err.println("Payara Micro " + server.pid() + " did not stop within " + STOP_SECONDS + " s: killed");
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
