package dev.notify.payaramicro;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Optional;
import sun.misc.Signal;

/**
 * Payara Micro stops in the wrong order for its clients: on SIGTERM (or Ctrl-C) it unloads the
 * application first and closes its HTTP listener last, seconds later (after the message-driven
 * beans have stopped). Every request in between meets a half-stopped application, and Payara
 * answers it with an empty {@code 500}. This agent takes the signal first, closes the HTTP listener
 * with Payara's own command ({@code set ...http-listener.enabled=false}), and then shuts the JVM
 * down as the signal would have: clients see a refused connection, which they retry, and no
 * {@code 500}. A request in progress at that moment loses its connection; what it did is
 * committed or rolled back as usual, and the client's retry with the same event id is idempotent.
 */
public final class ListenerFirstShutdown {
    private static final String PAYARA_MICRO = "fish.payara.micro.impl.PayaraMicroImpl";
    private static final String CLOSE_HTTP_LISTENER =
            "configs.config.server-config.network-config.network-listeners.network-listener.http-listener.enabled=false";

    private ListenerFirstShutdown() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                closeHttpListener(instrumentation);
                Runtime.getRuntime().exit(128 + signal.getNumber());
            });
        }
    }

    /**
     * Runs the command in Payara Micro's own command runner. Payara Micro's classes live in its
     * own class loader, hence the reflection; before Payara has booted there is nothing to close.
     */
    private static void closeHttpListener(Instrumentation instrumentation) {
        try {
            Optional<Class<?>> payaraMicro = Arrays.<Class<?>>stream(instrumentation.getAllLoadedClasses())
                    .filter(loaded -> loaded.getName().equals(PAYARA_MICRO)).findFirst();
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
            ClassLoader payara = payaraMicro.get().getClassLoader();
            Object commandRunner = embeddable("GlassFish", payara).getMethod("getCommandRunner").invoke(glassFish);
            Object result = embeddable("CommandRunner", payara).getMethod("run", String.class, String[].class)
                    .invoke(commandRunner, "set", new String[] {CLOSE_HTTP_LISTENER});
            Object exitStatus = embeddable("CommandResult", payara).getMethod("getExitStatus").invoke(result);
            System.err.println("[notify] Stopping: HTTP listener closed before the application stops (" + exitStatus + ")");
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("[notify] Stopping, but could not close the HTTP listener first: " + e);
        }
    }

    /** A type of GlassFish's public embedding API (the implementations are not public classes). */
    private static Class<?> embeddable(String type, ClassLoader payara) throws ClassNotFoundException {
        return Class.forName("org.glassfish.embeddable." + type, false, payara);
    }
}
