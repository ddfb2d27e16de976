package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;

/**
 * One validated text request. {@code frame} is a retained slice of exactly the bytes the client sent (command
 * line and data block), forwarded as is unless a multi-key retrieval has to be split. Offsets are into the frame.
 */
final class McRequest {
    final McCommand command;
    final ByteBuf frame;
    final boolean noreply;
    /** Key offset and length pairs, in the client's order. */
    final int[] keys;
    final int keyCount;
    /** The exptime argument of gat/gats (offset, length), needed to build their per-server parts. */
    final int argOffset;
    final int argLength;

    McRequest(McCommand command, ByteBuf frame, boolean noreply, int[] keys, int keyCount, int argOffset, int argLength) {
        this.command = command;
        this.frame = frame;
        this.noreply = noreply;
        this.keys = keys;
        this.keyCount = keyCount;
        this.argOffset = argOffset;
        this.argLength = argLength;
    }

    int keyOffset(int i) {
        return keys[2 * i];
    }

    int keyLength(int i) {
        return keys[2 * i + 1];
    }
}
