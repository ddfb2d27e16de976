package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;

/**
 * One validated request to forward. {@code frame} holds the request as RESP: a retained slice of exactly what the
 * client sent for a multi-bulk request, or the RESP form of an inline command. Argument offsets are into the
 * frame. The keys are at {@link #keyArg}.
 */
final class RedisRequest {
    final RedisCommand command;
    final ByteBuf frame;
    final int argc;
    /** Offset and length of each argument's bytes in the frame. */
    private final int[] args;
    /** A key before the others (ZUNIONSTORE's destination), or -1. */
    private final int destKey;
    private final int keyFirst;
    /** The argument after the last key. */
    private final int keyEnd;
    private final int keyStep;

    RedisRequest(RedisCommand command, ByteBuf frame, int argc, int[] args, int destKey, int keyFirst, int keyEnd,
            int keyStep) {
        this.command = command;
        this.frame = frame;
        this.argc = argc;
        this.args = args;
        this.destKey = destKey;
        this.keyFirst = keyFirst;
        this.keyEnd = keyEnd;
        this.keyStep = keyStep;
    }

    int argOffset(int i) {
        return args[2 * i];
    }

    int argLength(int i) {
        return args[2 * i + 1];
    }

    int keyCount() {
        return (destKey >= 0 ? 1 : 0) + (keyEnd - keyFirst + keyStep - 1) / keyStep;
    }

    /** The argument index of key {@code k}, in the order the client gave them. */
    int keyArg(int k) {
        if (destKey >= 0) {
            if (k == 0) return destKey;
            k--;
        }
        return keyFirst + k * keyStep;
    }

    /** Arguments per key for a split command: 1, or 2 for MSET's key and value. */
    int keyStep() {
        return keyStep;
    }
}
