package io.shardgate.stats;

/** What a server link holds while its connection opens, summed by the stats snapshot (worker thread only). */
public final class HeldQueue {
    long count;
    long bytes;
    long awaitingReply;
    long awaitingReplyBytes;

    /** One held request of {@code bytes} bytes; {@code awaitsReply} is false for noreply requests. */
    public void add(int bytes, boolean awaitsReply) {
        count++;
        this.bytes += bytes;
        if (awaitsReply) {
            awaitingReply++;
            awaitingReplyBytes += bytes;
        }
    }

    void clear() {
        count = bytes = awaitingReply = awaitingReplyBytes = 0;
    }
}
