package dev.notify.payara;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;
import javax.security.auth.Subject;

import sun.misc.Signal;

/**
 * Payara stops in the wrong order for its clients: on SIGTERM (or Ctrl-C) it unloads the
 * application first and closes its HTTP listener last, seconds later (after the message-driven
 * beans have stopped). Every request in between meets a half-stopped application, and Payara
 * answers it with an empty {@code 500}. This takes the signal first, closes the HTTP listener with
 * Payara's own command ({@code set ...http-listener.enabled=false}), and then shuts the JVM down as
 * the signal would have: clients see a refused connection, which they retry, and no {@code 500}. A
 * request in progress at that moment loses its connection; what it did is committed or rolled back
 * as usual, and the client's retry with the same event id is idempotent. Payara Micro runs the
 * command through its embedding API; Payara Server (whose listener is {@code http-listener-1})
 * through its command runner, as the internal administrator.
 */
final class ListenerFirstShutdown {
    private static final String LISTENERS = "configs.config.server-config.network-config.network-listeners.network-listener.";
    private static final String CLOSE_HTTP_LISTENER = LISTENERS + "http-listener.enabled=false";
    private static final String CLOSE_SERVER_HTTP_LISTENER = LISTENERS + "http-listener-1.enabled=false";

    private ListenerFirstShutdown() {
    }

    static void install(PayaraClasses payara) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                closeHttpListener(payara);
                Runtime.getRuntime().exit(128 + signal.getNumber());
            });
        }
    }

    /** Runs the command in Payara Micro's command runner; before Payara has booted there is nothing to close. */
    private static void closeHttpListener(PayaraClasses payara) {
        try {
            Optional<Class<?>> payaraMicro = payara.loaded("fish.payara.micro.impl.PayaraMicroImpl");
            if (payaraMicro.isEmpty()) {
                closeServerHttpListener(payara);
                return;
            }
            Object instance = payaraMicro.get().getMethod("getInstance", boolean.class).invoke(null, false);
            Field glassFishField = payaraMicro.get().getDeclaredField("gf");
            glassFishField.setAccessible(true);
            Object glassFish = instance == null ? null : glassFishField.get(instance);
            if (glassFish == null) {
                return;
            }
            // through GlassFish's public embedding API: its implementations are not public classes
            Object commandRunner = embeddable(payaraMicro.get(), "GlassFish").getMethod("getCommandRunner").invoke(glassFish);
            Object result = embeddable(payaraMicro.get(), "CommandRunner").getMethod("run", String.class, String[].class)
                    .invoke(commandRunner, "set", new String[] {CLOSE_HTTP_LISTENER});
            Object exitStatus = embeddable(payaraMicro.get(), "CommandResult").getMethod("getExitStatus").invoke(result);
            System.err.println("[notify] Stopping: HTTP listener closed before the application stops (" + exitStatus + ")");
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[notify] Stopping, but could not close the HTTP listener first: " + e);
        }
    }

    /** Payara Server: {@code set} through the command runner; before the server has booted there is nothing to close. */
    private static void closeServerHttpListener(PayaraClasses payara) throws ReflectiveOperationException {
        Optional<Class<?>> globals = payara.loaded("org.glassfish.internal.api.Globals");
        Optional<Class<?>> runnerType = payara.loaded("org.glassfish.api.admin.CommandRunner");
        Optional<Class<?>> administratorType = payara.loaded("org.glassfish.internal.api.InternalSystemAdministrator");
        if (globals.isEmpty() || runnerType.isEmpty() || administratorType.isEmpty()) {
            return;
        }
        Object locator = globals.get().getMethod("getDefaultHabitat").invoke(null);
        if (locator == null) {
            return;
        }
        Method service = PayaraClasses.beside(globals.get(), "org.glassfish.hk2.api.ServiceLocator")
                .getMethod("getService", Class.class, Annotation[].class);
        Object runner = service.invoke(locator, runnerType.get(), new Annotation[0]);
        Object administrator = service.invoke(locator, administratorType.get(), new Annotation[0]);
        Class<?> reportType = PayaraClasses.beside(runnerType.get(), "org.glassfish.api.ActionReport");
        Class<?> parametersType = PayaraClasses.beside(runnerType.get(), "org.glassfish.api.admin.ParameterMap");
        Class<?> invocationType = PayaraClasses.beside(runnerType.get(), "org.glassfish.api.admin.CommandRunner$CommandInvocation");
        Object report = runnerType.get().getMethod("getActionReport", String.class).invoke(runner, "plain");
        Object invocation = runnerType.get().getMethod("getCommandInvocation", String.class, reportType, Subject.class)
                .invoke(runner, "set", report, administratorType.get().getMethod("getSubject").invoke(administrator));
        Object parameters = parametersType.getConstructor().newInstance();
        parametersType.getMethod("insert", String.class, String.class).invoke(parameters, "DEFAULT", CLOSE_SERVER_HTTP_LISTENER);
        invocationType.getMethod("parameters", parametersType).invoke(invocation, parameters);
        invocationType.getMethod("execute").invoke(invocation);
        System.err.println("[notify] Stopping: HTTP listener closed before the application stops ("
                + reportType.getMethod("getActionExitCode").invoke(report) + ")");
    }

    private static Class<?> embeddable(Class<?> payaraMicro, String type) throws ClassNotFoundException {
        return PayaraClasses.beside(payaraMicro, "org.glassfish.embeddable." + type);
    }
}
