package dev.notify.payara;

import java.lang.reflect.Field;
import java.util.Optional;
import sun.misc.Signal;

/**
 * Payara Micro stops in the wrong order for its clients: on SIGTERM (or Ctrl-C) it unloads the
 * application first and closes its HTTP listener last, seconds later (after the message-driven
 * beans have stopped). Every request in between meets a half-stopped application, and Payara
 * answers it with an empty {@code 500}. This takes the signal first, closes the HTTP listener with
 * Payara's own command ({@code set ...http-listener.enabled=false}), and then shuts the JVM down as
 * the signal would have: clients see a refused connection, which they retry, and no {@code 500}. A
 * request in progress at that moment loses its connection; what it did is committed or rolled back
 * as usual, and the client's retry with the same event id is idempotent.
 */
final class ListenerFirstShutdown {
    private static final String CLOSE_HTTP_LISTENER =
            "configs.config.server-config.network-config.network-listeners.network-listener.http-listener.enabled=false";

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

    private static Class<?> embeddable(Class<?> payaraMicro, String type) throws ClassNotFoundException {
        return PayaraClasses.beside(payaraMicro, "org.glassfish.embeddable." + type);
    }
}
