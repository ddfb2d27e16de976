package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardgate.protocol.LocalReply;

/**
 * Turns one framed request into a request to forward or a reply the proxy gives itself: the command is known,
 * its arity right, the client authenticated, its keys where the command says. Commands the proxy answers go to
 * the connection's {@link RedisLocalCommands}. Errors are worded as redis words them.
 */
final class RedisValidator {
    private final RedisLocalCommands localCommands;
    /** The command of the request last validated, when {@link #validate} returned null. */
    private RedisCommand command;

    RedisValidator(RedisLocalCommands localCommands) {
        this.localCommands = localCommands;
    }

    /** A reply for the request, or null when it is to be forwarded (then {@link #command} names it). */
    LocalReply validate(ByteBufAllocator alloc, RespArgs args) {
        RedisCommand c = RedisCommands.lookup(args.buf(), args.offset(0), args.length(0));
        if (c == null) return LocalReply.of(unknownCommand(alloc, args));
        if (!c.arityAccepts(args.count())) {
            return c.keyStep > 1 ? pairsOutOfStep(alloc, c) : LocalReply.of(wrongArity(alloc, c));
        }
        if (!localCommands.allows(c)) return LocalReply.of(RespReplies.of(RespReplies.NOAUTH));
        switch (c.kind) {
            case LOCAL -> {
                return localCommands.answer(alloc, c, args);
            }
            case REFUSED -> {
                return LocalReply.of(RespReplies.error(alloc, "ERR '" + c.name
                        + "' is not supported by shardgate: " + c.refusal.reason));
            }
            default -> {
                LocalReply refused = checkKeys(alloc, c, args);
                if (refused == null) command = c;
                return refused;
            }
        }
    }

    RedisCommand command() {
        return command;
    }

    /** Key positions of a multi-key command: the numkeys argument, the key/value pairing, XREAD's STREAMS. */
    private static LocalReply checkKeys(ByteBufAllocator alloc, RedisCommand command, RespArgs args) {
        int argc = args.count();
        if (command.numkeysAt > 0) {
            long numkeys = args.number(command.numkeysAt);
            if (numkeys == Long.MIN_VALUE) return LocalReply.of(RespReplies.of(RespReplies.NOT_AN_INTEGER));
            if (numkeys > argc - command.firstKey) {
                return LocalReply.of(RespReplies.error(alloc, "ERR Number of keys can't be greater than number of args"));
            }
            if (numkeys < 1) {
                return LocalReply.of(RespReplies.error(alloc, "ERR '" + command.name + "' without keys is not "
                        + "supported by shardgate: a request is routed by its keys"));
            }
            return null;
        }
        if (command.streams) return checkStreams(alloc, command, args);
        if (command.keyStep > 1 && command.lastKey < 0 && (argc - command.firstKey) % command.keyStep != 0) {
            return pairsOutOfStep(alloc, command);
        }
        return null;
    }

    /**
     * MSET's arguments come in key-value pairs: a count that breaks them is a stream out of step (nutcracker's
     * parser closes the client for it), not just a wrong argument count.
     */
    private static LocalReply pairsOutOfStep(ByteBufAllocator alloc, RedisCommand command) {
        return LocalReply.fatal(RespReplies.error(alloc, "ERR Protocol error: wrong number of arguments for '"
                + command.name + "' command"));
    }

    /** XREAD [COUNT n] [BLOCK ms] STREAMS key... id..., XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS. */
    private static LocalReply checkStreams(ByteBufAllocator alloc, RedisCommand command, RespArgs args) {
        int argc = args.count();
        int i = 1;
        while (i < argc && !args.is(i, "streams")) {
            if (args.is(i, "block")) {
                return LocalReply.of(RespReplies.error(alloc, "ERR '" + command.name + "' with BLOCK is not supported "
                        + "by shardgate: " + RedisCommand.Refusal.BLOCKING.reason));
            } else if (args.is(i, "count")) {
                i += 2;
            } else if (args.is(i, "group")) {
                i += 3;
            } else if (args.is(i, "noack")) {
                i += 1;
            } else {
                return LocalReply.of(RespReplies.of(RespReplies.SYNTAX));
            }
        }
        int rest = argc - i - 1;
        if (i >= argc || rest <= 0 || rest % 2 != 0) {
            return LocalReply.of(RespReplies.error(alloc, "ERR Unbalanced '" + command.name
                    + "' list of streams: for each stream key an ID or '$' must be specified."));
        }
        return null;
    }

    /** The validated request with its key positions; {@code args} point into {@code frame}. */
    static RedisRequest request(RedisCommand command, ByteBuf frame, RespArgs args, RedisRequest.Pool requests) {
        int argc = args.count();
        int destKey = -1;
        int first = command.firstKey;
        int end;
        switch (command.kind) {
            case SINGLE -> end = first + 1;
            case ANY_SERVER -> {
                first = 0; // routed by the command name: any server answers the same
                end = 1;
            }
            default -> {
                if (command.numkeysAt > 0) {
                    end = first + (int) args.number(command.numkeysAt);
                    if (command.destKey > 0) destKey = command.destKey;
                } else if (command.streams) {
                    int streams = 1;
                    while (!args.is(streams, "streams")) streams++;
                    first = streams + 1;
                    end = first + (argc - first) / 2;
                } else {
                    end = (command.lastKey < 0 ? argc + command.lastKey : command.lastKey) + 1;
                }
            }
        }
        return requests.take(command, frame, argc, args.spans(), destKey, first, end, command.keyStep); // it copies
    }

    private static ByteBuf unknownCommand(ByteBufAllocator alloc, RespArgs args) {
        StringBuilder argsText = new StringBuilder();
        for (int i = 1; i < args.count() && argsText.length() < 128; i++) {
            argsText.append('\'').append(args.text(i, 128 - argsText.length())).append("' ");
        }
        return RespReplies.error(alloc, "ERR unknown command '" + args.text(0, 128)
                + "', with args beginning with: " + argsText);
    }

    static ByteBuf wrongArity(ByteBufAllocator alloc, RedisCommand command) {
        return RespReplies.error(alloc, "ERR wrong number of arguments for '" + command.name + "' command");
    }
}
