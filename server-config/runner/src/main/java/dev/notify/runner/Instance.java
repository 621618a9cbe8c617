package dev.notify.runner;

/**
 * An application instance of the run command: the one, or one of the two that --cluster starts.
 * Each has its own HTTP port (the first on NOTIFY_HTTP_PORT, the second on the next), its own name
 * (NOTIFY_INSTANCE_ID, which names its XA transactions and the admin jobs it runs), its own
 * transaction log, server files, log file and hold file; the database and brokers are shared.
 */
record Instance(int number, int httpPort) {

    /** notify-1, notify-2. */
    String id() {
        return "notify-" + number;
    }

    /** Appended to the instance's files and folders: nothing for the first, whose are a lone instance's. */
    String suffix() {
        return number == 1 ? "" : "-" + number;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }
}
