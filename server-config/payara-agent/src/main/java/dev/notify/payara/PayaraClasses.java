package dev.notify.payara;

import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.Optional;

/**
 * Payara's classes, as the agent reaches them: they live in Payara's own class loaders (one in
 * Payara Micro, OSGi bundles in Payara Server), which the agent's code cannot name, so they are
 * found among the loaded classes and used by reflection. A class not loaded yet means that Payara
 * has not got that far.
 */
final class PayaraClasses {
    private final Instrumentation instrumentation;

    PayaraClasses(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    Optional<Class<?>> loaded(String name) {
        return Arrays.<Class<?>>stream(instrumentation.getAllLoadedClasses())
                .filter(loaded -> loaded.getName().equals(name)).findFirst();
    }

    /** A type that the class loader of {@code payaraClass} can load. */
    static Class<?> beside(Class<?> payaraClass, String name) throws ClassNotFoundException {
        return Class.forName(name, false, payaraClass.getClassLoader());
    }
}
