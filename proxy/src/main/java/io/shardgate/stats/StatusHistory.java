package io.shardgate.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The admin side's memory of recent stats, for the status page's rates and sparklines: the last few snapshots
 * (taken about once a second by the admin listener's sampler, never on a worker's request path) and, for each
 * server, a ring of 5-second steps over the last five minutes. Its size is fixed by the pools, whatever the uptime.
 *
 * <p>A snapshot of another shape (pools or servers changed, as after a reload) starts the history afresh.
 * Counters that go backwards (a rebuilt aggregator) count as no change.
 */
final class StatusHistory {
    /** Snapshots kept: 10 s at one a second, the window in which a failure marks a server as failing. */
    static final int RECENT = 11;
    /** Rates and latency quantiles are taken over this much of the recent snapshots. */
    static final long RATE_WINDOW_NANOS = 5_000_000_000L;
    static final long STEP_NANOS = 5_000_000_000L;
    /** Sparkline steps: five minutes. */
    static final int STEPS = 60;

    /** A snapshot and when it was taken: {@code nanos} for intervals, {@code millis} (epoch) for display. */
    record Timed(long nanos, long millis, StatsSnapshot snapshot) {}

    /** One server's recent steps, oldest first: requests per second, failures and whether it was out in each. */
    record Trail(double[] requestsPerSecond, long[] failures, boolean[] ejected) {}

    /**
     * What a report needs: the latest snapshot, the one to take rates from (about {@link #RATE_WINDOW_NANOS} older,
     * or the oldest kept), the oldest kept (for recent failures), and every server's trail by pool.
     */
    record Window(Timed latest, Timed rateBase, Timed oldest, List<List<Trail>> trails) {}

    private final ArrayDeque<Timed> recent = new ArrayDeque<>();
    private Timed stepStart;
    private Ring[][] rings = new Ring[0][];
    /** Per pool, per server: out of service at any sample since the current step began. */
    private boolean[][] outInStep = new boolean[0][];

    synchronized void add(long nanos, long millis, StatsSnapshot snapshot) {
        Timed timed = new Timed(nanos, millis, snapshot);
        if (recent.isEmpty() || !sameShape(recent.peekLast().snapshot(), snapshot)) reset(snapshot);
        recent.addLast(timed);
        while (recent.size() > RECENT) recent.removeFirst();
        for (int p = 0; p < outInStep.length; p++) {
            boolean[] ejected = snapshot.ejected().get(p);
            for (int s = 0; s < ejected.length; s++) outInStep[p][s] |= ejected[s];
        }
        if (stepStart == null) {
            stepStart = timed;
        } else if (nanos - stepStart.nanos() >= STEP_NANOS) {
            pushStep(stepStart, timed);
            stepStart = timed;
        }
    }

    /** The current window, or null before the first snapshot. */
    synchronized Window window() {
        if (recent.isEmpty()) return null;
        Timed latest = recent.peekLast();
        Timed base = recent.peekFirst();
        for (Iterator<Timed> it = recent.descendingIterator(); it.hasNext(); ) {
            Timed t = it.next();
            if (latest.nanos() - t.nanos() >= RATE_WINDOW_NANOS) {
                base = t;
                break;
            }
        }
        List<List<Trail>> trails = new ArrayList<>(rings.length);
        for (Ring[] pool : rings) {
            List<Trail> servers = new ArrayList<>(pool.length);
            for (Ring ring : pool) servers.add(ring.trail());
            trails.add(List.copyOf(servers));
        }
        return new Window(latest, base, recent.peekFirst(), List.copyOf(trails));
    }

    /** Failed connections and connects of a server, all kinds: what the page counts as its failures. */
    static long failures(ServerSample s) {
        return s.get(Stat.SERVER_ERR) + s.get(Stat.SERVER_EOF) + s.get(Stat.SERVER_TIMEDOUT);
    }

    private void pushStep(Timed from, Timed to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        for (int p = 0; p < rings.length; p++) {
            List<ServerSample> before = from.snapshot().pools().get(p).servers();
            List<ServerSample> after = to.snapshot().pools().get(p).servers();
            for (int s = 0; s < rings[p].length; s++) {
                long requests = Math.max(0, after.get(s).get(Stat.REQUESTS) - before.get(s).get(Stat.REQUESTS));
                long failed = Math.max(0, failures(after.get(s)) - failures(before.get(s)));
                rings[p][s].push(requests / seconds, failed, outInStep[p][s]);
                outInStep[p][s] = to.snapshot().ejected().get(p)[s];
            }
        }
    }

    private void reset(StatsSnapshot shape) {
        recent.clear();
        stepStart = null;
        List<PoolSample> pools = shape.pools();
        rings = new Ring[pools.size()][];
        outInStep = new boolean[pools.size()][];
        for (int p = 0; p < pools.size(); p++) {
            int servers = pools.get(p).servers().size();
            rings[p] = new Ring[servers];
            for (int s = 0; s < servers; s++) rings[p][s] = new Ring();
            outInStep[p] = new boolean[servers];
        }
    }

    private static boolean sameShape(StatsSnapshot a, StatsSnapshot b) {
        if (a.pools().size() != b.pools().size()) return false;
        for (int p = 0; p < a.pools().size(); p++) {
            PoolSample x = a.pools().get(p);
            PoolSample y = b.pools().get(p);
            if (!x.name().equals(y.name()) || x.servers().size() != y.servers().size()) return false;
            for (int s = 0; s < x.servers().size(); s++) {
                if (!x.servers().get(s).name().equals(y.servers().get(s).name())) return false;
            }
        }
        return true;
    }

    /** A fixed ring of the last {@link #STEPS} steps of one server. */
    private static final class Ring {
        private final double[] rate = new double[STEPS];
        private final long[] failures = new long[STEPS];
        private final boolean[] out = new boolean[STEPS];
        private int size;
        private int next;

        void push(double requestsPerSecond, long failed, boolean ejected) {
            rate[next] = requestsPerSecond;
            failures[next] = failed;
            out[next] = ejected;
            next = (next + 1) % STEPS;
            if (size < STEPS) size++;
        }

        Trail trail() {
            double[] r = new double[size];
            long[] f = new long[size];
            boolean[] o = new boolean[size];
            int first = (next - size + STEPS) % STEPS;
            for (int i = 0; i < size; i++) {
                int at = (first + i) % STEPS;
                r[i] = rate[at];
                f[i] = failures[at];
                o[i] = out[at];
            }
            return new Trail(r, f, o);
        }
    }
}
