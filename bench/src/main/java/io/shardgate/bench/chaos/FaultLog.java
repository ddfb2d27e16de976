package io.shardgate.bench.chaos;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults injected in a run, each on one server of one pool, with when it started, when it was lifted and how
 * long after that its effects are allowed to last (reconnect backoff, requests already in flight). A failed request
 * is explained by a fault when it involved the fault's server and was in flight at some point of the fault's window.
 */
public final class FaultLog {
    /** One fault. {@code liftedAt} and {@code graceEnd} are {@link Long#MAX_VALUE} while it lasts. */
    public static final class Fault {
        public final String pool;
        public final int server;
        public final String what;
        public final long startedAt;
        private volatile long liftedAt = Long.MAX_VALUE;
        private volatile long graceEnd = Long.MAX_VALUE;
        /** When the server came back empty (for a fault that wipes): what was acknowledged before is gone. */
        private volatile long wipedAt = Long.MAX_VALUE;
        /** Whether the server lost its data (killed): misses of its keys written before are explained. */
        public final boolean wipes;

        Fault(String pool, int server, String what, long startedAt, boolean wipes) {
            this.pool = pool;
            this.server = server;
            this.what = what;
            this.startedAt = startedAt;
            this.wipes = wipes;
        }

        public long liftedAt() {
            return liftedAt;
        }

        public long graceEnd() {
            return graceEnd;
        }

        public long wipedAt() {
            return wipedAt;
        }

        boolean overlaps(String pool, long servers, long from, long to) {
            return this.pool.equals(pool) && (servers & (1L << server)) != 0 && from - graceEnd <= 0 && to - startedAt >= 0;
        }
    }

    /** Explains a failure that needs no fault: a miss of a key that was never acknowledged before the get. */
    public static final Fault NONE = new Fault("", 0, "no fault needed", Long.MIN_VALUE, false);

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    public Fault start(String pool, int server, String what, boolean wipes) {
        Fault f = new Fault(pool, server, what, System.nanoTime(), wipes);
        faults.add(f);
        return f;
    }

    public void lift(Fault f, long graceNanos) {
        long now = System.nanoTime();
        f.graceEnd = now + graceNanos;
        f.liftedAt = now;
    }

    /** The fault's server is about to come back empty: everything acknowledged until now is lost. */
    public void wiped(Fault f) {
        f.wipedAt = System.nanoTime();
    }

    public List<Fault> all() {
        return List.copyOf(faults);
    }

    /**
     * The latest fault a request on {@code servers} (bit i: server i of {@code pool}) in flight over
     * {@code [from, to]} met, or null.
     */
    public Fault explaining(String pool, long servers, long from, long to) {
        for (int i = faults.size() - 1; i >= 0; i--) {
            if (faults.get(i).overlaps(pool, servers, from, to)) return faults.get(i);
        }
        return null;
    }

    /** The fault going on now on a server of {@code pool}, or null. */
    public Fault active(String pool) {
        for (int i = faults.size() - 1; i >= 0; i--) {
            Fault f = faults.get(i);
            if (f.pool.equals(pool) && f.liftedAt == Long.MAX_VALUE) return f;
        }
        return null;
    }

    /**
     * The fault after which {@code server} of {@code pool} last came back without its data before {@code before},
     * or null. A write acknowledged before its {@link Fault#wipedAt()} (even after the kill was started: a process
     * takes a moment to die) may be gone.
     */
    public Fault lastWipe(String pool, int server, long before) {
        for (int i = faults.size() - 1; i >= 0; i--) {
            Fault f = faults.get(i);
            if (f.wipes && f.pool.equals(pool) && f.server == server && f.wipedAt - before <= 0) return f;
        }
        return null;
    }
}
