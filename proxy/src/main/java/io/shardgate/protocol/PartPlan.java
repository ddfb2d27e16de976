package io.shardgate.protocol;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * How the keys of a multi-key request divide into parts, one per server, numbered in order of first appearance;
 * worked out in per-thread scratch arrays, so a request whose keys all live on one server allocates nothing for
 * it. Use it only between {@link #start} and the copies {@link #partOfKey()} and {@link #servers()}, before
 * sending anything: sending can complete other requests, and the next {@link #start} on the thread reuses the
 * arrays.
 */
public final class PartPlan {
    /** Requests of more keys than this get throw-away arrays rather than pinning large ones per thread. */
    static final int MAX_KEPT_KEYS = 16 * 1024;

    private static final FastThreadLocal<PartPlan> OF_THREAD = new FastThreadLocal<>() {
        @Override
        protected PartPlan initialValue() {
            return new PartPlan();
        }
    };

    private int[] partOfKey = new int[64];
    /** For each server of the pool, its part, or -1 while none of the request's keys is on it. */
    private int[] partOfServer = new int[16];
    private int[] serverOfPart = new int[16];
    private int keys;
    private int parts;

    private PartPlan() {}

    /** This thread's plan, emptied, for a request of up to {@code keyCount} keys over {@code serverCount} servers. */
    public static PartPlan start(int keyCount, int serverCount) {
        PartPlan plan = OF_THREAD.get();
        if (plan.partOfKey.length < keyCount) {
            if (keyCount > MAX_KEPT_KEYS) {
                plan = new PartPlan();
                plan.partOfKey = new int[keyCount];
            } else {
                plan.partOfKey = new int[Math.max(keyCount, Math.min(MAX_KEPT_KEYS, 2 * plan.partOfKey.length))];
            }
        }
        if (plan.partOfServer.length < serverCount) {
            plan.partOfServer = new int[serverCount];
            plan.serverOfPart = new int[serverCount];
        }
        Arrays.fill(plan.partOfServer, 0, serverCount, -1);
        plan.keys = 0;
        plan.parts = 0;
        return plan;
    }

    /** The next key (keys are added in the request's order) lives on {@code server}. */
    public void add(int server) {
        int part = partOfServer[server];
        if (part < 0) {
            part = parts++;
            partOfServer[server] = part;
            serverOfPart[part] = server;
        }
        partOfKey[keys++] = part;
    }

    /** The number of parts: of distinct servers among the keys added. */
    public int parts() {
        return parts;
    }

    /** A copy of each key's part, in the request's key order. */
    public int[] partOfKey() {
        return Arrays.copyOf(partOfKey, keys);
    }

    /** A copy of each part's server. */
    public int[] servers() {
        return Arrays.copyOf(serverOfPart, parts);
    }
}
