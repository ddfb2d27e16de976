package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ReplyWaiter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flush_all [delay] [noreply]} for a pool: sent to every server (the delay passed through, always asking
 * for a reply so the proxy knows each outcome), and answered once, in the client's reply order, when all have
 * answered: {@code OK}, or a {@code SERVER_ERROR} naming the first server that did not flush. Every flush is
 * logged with the client's address, since it empties a whole fleet.
 */
final class FlushAll {
    private static final Logger log = LoggerFactory.getLogger(FlushAll.class);
    private static final byte[] OK = "OK\r\n".getBytes(StandardCharsets.US_ASCII);

    private FlushAll() {}

    /** Broadcasts the flush; {@code delay} is the client's delay token, or empty. */
    static void broadcast(ClientContext client, String delay, boolean noreply, String poolName) {
        int servers = client.serverCount();
        log.info("pool '{}': flush_all{} from {} sent to {} server(s)", poolName, delay.isEmpty() ? "" : " " + delay,
                client.clientAddress(), servers);
        FanIn fanIn = new FanIn(client, noreply ? null : client.nextReply(), servers);
        byte[] line = ("flush_all" + (delay.isEmpty() ? "" : " " + delay) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBufAllocator alloc = client.alloc();
        for (int s = 0; s < servers; s++) {
            client.send(s, alloc.directBuffer(line.length).writeBytes(line), fanIn.part(s));
        }
    }

    /** Gathers the servers' answers; the client's waiter (null for noreply) gets one reply after the last. */
    private static final class FanIn {
        private final ClientContext client;
        private final ReplyWaiter clientWaiter;
        private int outstanding;
        private String failure;

        FanIn(ClientContext client, ReplyWaiter clientWaiter, int servers) {
            this.client = client;
            this.clientWaiter = clientWaiter;
            this.outstanding = servers;
        }

        ReplyWaiter part(int server) {
            return new ReplyWaiter() {
                @Override
                public void onReply(ByteBuf frame) {
                    try {
                        if (!isOk(frame)) failed(server, frame.toString(StandardCharsets.US_ASCII).trim());
                    } finally {
                        frame.release();
                    }
                    done();
                }

                @Override
                public void onFailure(String reason) {
                    failed(server, reason);
                    done();
                }
            };
        }

        private static boolean isOk(ByteBuf frame) {
            if (frame.readableBytes() != OK.length) return false;
            for (int i = 0; i < OK.length; i++) {
                if (frame.getByte(frame.readerIndex() + i) != OK[i]) return false;
            }
            return true;
        }

        private void failed(int server, String reason) {
            if (failure == null) failure = "flush_all failed on " + client.serverName(server) + ": " + reason;
        }

        private void done() {
            if (--outstanding > 0) return;
            if (failure != null) log.warn("{}", failure);
            if (clientWaiter == null) return;
            if (failure == null) {
                clientWaiter.onReply(McReplies.of(McReplies.OK));
            } else {
                clientWaiter.onReply(McReplies.serverError(client.alloc(), failure));
            }
        }
    }
}
