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
    /** The first (usually only) key, kept in fields so a single-key request needs no array. */
    private final int key0Offset;
    private final int key0Length;
    /** Key offset and length pairs in the client's order, when there are several keys; else null. */
    private final int[] keys;
    final int keyCount;
    /** The exptime argument of gat/gats (offset, length), needed to build their per-server parts. */
    final int argOffset;
    final int argLength;

    /** A request of several keys ({@code keys} holds offset and length pairs) or of none. */
    McRequest(McCommand command, ByteBuf frame, boolean noreply, int[] keys, int keyCount, int argOffset, int argLength) {
        this.command = command;
        this.frame = frame;
        this.noreply = noreply;
        this.keys = keyCount > 1 ? keys : null;
        this.keyCount = keyCount;
        this.key0Offset = keyCount > 0 ? keys[0] : 0;
        this.key0Length = keyCount > 0 ? keys[1] : 0;
        this.argOffset = argOffset;
        this.argLength = argLength;
    }

    /** A request of one key: no array allocated. */
    McRequest(McCommand command, ByteBuf frame, boolean noreply, int keyOffset, int keyLength, int argOffset, int argLength) {
        this.command = command;
        this.frame = frame;
        this.noreply = noreply;
        this.keys = null;
        this.keyCount = 1;
        this.key0Offset = keyOffset;
        this.key0Length = keyLength;
        this.argOffset = argOffset;
        this.argLength = argLength;
    }

    int keyOffset(int i) {
        return i == 0 ? key0Offset : keys[2 * i];
    }

    int keyLength(int i) {
        return i == 0 ? key0Length : keys[2 * i + 1];
    }
}
