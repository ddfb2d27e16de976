package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * How the core sends a request on, for every protocol: whole to the server of its key, or, for a request of
 * several keys, whole when one server holds them all and else split into one part per server
 * ({@link Fragments}), merged back by the protocol. A request that finds no live server fails with
 * {@link FailureReasons#NO_LIVE_SERVER}. Each method owns the request it is given and ends it.
 */
public final class Forwarding {
    private Forwarding() {}

    /**
     * Builds the parts of a request whose keys are on several servers, for the core to send. A protocol keeps one
     * (capturing nothing per request), so that routing a request allocates nothing until it has to split.
     */
    @FunctionalInterface
    public interface Splitter<R extends KeyedRequest> {
        /**
         * @param client where the merged reply goes
         * @param partOfKey the part each key goes to, in the client's key order
         * @param servers the server of each part
         */
        Fragments split(R request, ReplyWaiter client, ClientContext context, int[] partOfKey, int[] servers);

        /**
         * The waiter for a request sent whole because one server holds all its keys: {@code client} itself unless
         * the protocol answers some failures differently then. Asked only on that path.
         */
        default ReplyWaiter whole(R request, ReplyWaiter client) {
            return client;
        }
    }

    /** Sends {@code request} whole to the server of its first key. {@code waiter} is null for noreply. */
    public static void toKeyServer(KeyedRequest request, ClientContext client, ReplyWaiter waiter) {
        toServer(request, client, client.route(request.frame(), request.keyOffset(0), request.keyLength(0)), waiter);
    }

    /** Sends {@code request} whole to {@code server}, or fails it when that is -1 (no live server). */
    public static void toServer(KeyedRequest request, ClientContext client, int server, ReplyWaiter waiter) {
        if (server < 0) {
            request.release();
            if (waiter != null) waiter.onFailure(FailureReasons.NO_LIVE_SERVER);
            return;
        }
        ByteBuf frame = request.frame();
        request.recycle();
        client.send(server, frame, waiter);
    }

    /**
     * Routes every key of {@code request}: when they are all on one server the request goes there whole, answered
     * through {@link Splitter#whole}; else {@code splitter} builds one part per server and they are sent, counted
     * as fragments. A key with no live server fails the whole request through {@code waiter}.
     */
    public static <R extends KeyedRequest> void split(R request, ClientContext client, ReplyWaiter waiter,
            Splitter<R> splitter) {
        ByteBuf frame = request.frame();
        int keyCount = request.keyCount();
        int first = client.route(frame, request.keyOffset(0), request.keyLength(0));
        if (first < 0) {
            toServer(request, client, -1, waiter);
            return;
        }
        if (keyCount == 1) { // the common case: nothing to plan, nothing to allocate
            toServer(request, client, first, splitter.whole(request, waiter));
            return;
        }
        PartPlan plan = PartPlan.start(keyCount, client.serverCount());
        plan.add(first);
        for (int k = 1; k < keyCount; k++) {
            int server = client.route(frame, request.keyOffset(k), request.keyLength(k));
            if (server < 0) {
                toServer(request, client, -1, waiter);
                return;
            }
            plan.add(server);
        }
        if (plan.parts() == 1) {
            toServer(request, client, first, splitter.whole(request, waiter));
            return;
        }
        splitter.split(request, waiter, client, plan.partOfKey(), plan.servers()).send(client);
    }
}
