package dev.notify.payara;

import java.lang.instrument.Instrumentation;

/**
 * What Payara needs beside its configuration, loaded with {@code -javaagent} by Payara Micro (the
 * run command, the image) and Payara Server (a JVM option of the run command's domain, the image):
 * transactions left incomplete by a failed commit finished, and branches the transaction manager
 * forgot rolled back, while the server runs ({@link IncompleteTransactionRecovery},
 * {@link OrphanBranchRollback}), and its HTTP listener closed before its
 * application stops ({@link ListenerFirstShutdown}).
 */
public final class PayaraAgent {
    private PayaraAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        PayaraClasses payara = new PayaraClasses(instrumentation);
        ListenerFirstShutdown.install(payara);
        IncompleteTransactionRecovery.start(payara);
    }
}
