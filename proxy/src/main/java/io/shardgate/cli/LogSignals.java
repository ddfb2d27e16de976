package io.shardgate.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * nutcracker's signals for logging: SIGHUP reopens the log file (for logrotate), SIGTTIN raises and SIGTTOU lowers
 * the log level. Each one is logged as nutcracker logs it. A JVM that will not let us handle a signal (run with
 * {@code -Xrs}, or a platform without it) keeps its default for that signal and the run goes on; the handlers run
 * on the JVM's signal thread, never on a worker.
 */
final class LogSignals {
    private static final Logger log = LoggerFactory.getLogger(LogSignals.class);

    private LogSignals() {}

    static void install() {
        handle("HUP", 1, ", reopening log file", LogSetup::reopen);
        handle("TTIN", 21, ", up logging level", LogSetup::levelUp);
        handle("TTOU", 22, ", down logging level", LogSetup::levelDown);
    }

    private static void handle(String name, int number, String action, Runnable run) {
        try {
            Signal.handle(new Signal(name), signal -> {
                log.warn("signal {} (SIG{}) received{}", signal.getNumber() > 0 ? signal.getNumber() : number, name,
                        action);
                run.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            log.debug("signal SIG{} cannot be handled here, left as is: {}", name, e.toString());
        }
    }
}
