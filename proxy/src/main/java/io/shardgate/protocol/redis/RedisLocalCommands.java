package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardgate.protocol.LocalReply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The commands the proxy answers for one client connection without a server: PING, ECHO, QUIT, SELECT 0, AUTH,
 * HELLO and CLIENT SETNAME/SETINFO. It holds the client's authentication state, which is right because requests
 * are decoded in the order they are answered.
 */
final class RedisLocalCommands {
    /** The pool's redis_auth password, or null. */
    private final byte[] password;
    private final String version;
    private boolean authenticated;

    RedisLocalCommands(byte[] password, String version) {
        this.password = password;
        this.version = version;
        this.authenticated = password == null;
    }

    /** Whether the client may send {@code command} now: before AUTH only AUTH, HELLO and QUIT are allowed. */
    boolean allows(RedisCommand command) {
        return authenticated || command.local == RedisCommand.Local.AUTH || command.local == RedisCommand.Local.QUIT
                || command.local == RedisCommand.Local.HELLO;
    }

    LocalReply answer(ByteBufAllocator alloc, RedisCommand command, RespArgs args) {
        int argc = args.count();
        switch (command.local) {
            case PING -> {
                if (argc > 2) return reply(RedisValidator.wrongArity(alloc, command));
                return reply(argc == 1 ? RespReplies.of(RespReplies.PONG)
                        : RespReplies.bulk(alloc, args.buf(), args.offset(1), args.length(1)));
            }
            case ECHO -> {
                return reply(RespReplies.bulk(alloc, args.buf(), args.offset(1), args.length(1)));
            }
            case QUIT -> {
                return new LocalReply(RespReplies.of(RespReplies.OK), LocalReply.After.CLOSE);
            }
            case SELECT -> {
                long db = args.number(1);
                if (db == Long.MIN_VALUE || db != (int) db) return reply(RespReplies.of(RespReplies.NOT_AN_INTEGER));
                if (db != 0) {
                    return reply(RespReplies.error(alloc, "ERR SELECT " + db + " is not supported by shardgate: "
                            + RedisCommand.Refusal.DATABASE.reason));
                }
                return reply(RespReplies.of(RespReplies.OK));
            }
            case AUTH -> {
                if (argc > 3) return reply(RespReplies.of(RespReplies.SYNTAX));
                return reply(auth(args, argc == 3 ? 1 : -1, argc - 1));
            }
            case HELLO -> {
                return hello(alloc, args);
            }
            case CLIENT -> {
                if ((args.is(1, "setname") && argc == 3) || (args.is(1, "setinfo") && argc == 4)) {
                    return reply(RespReplies.of(RespReplies.OK)); // a name would apply to shared server connections
                }
                return reply(RespReplies.error(alloc, "ERR 'client " + args.text(1, 32).toLowerCase(Locale.ROOT)
                        + "' is not supported by shardgate: " + RedisCommand.Refusal.ADMIN.reason));
            }
        }
        throw new IllegalStateException("unhandled local command " + command);
    }

    private static LocalReply reply(ByteBuf reply) {
        return LocalReply.of(reply);
    }

    /** Checks a password (and the user, which can only be "default"), updating this client's state. */
    private ByteBuf auth(RespArgs args, int userArg, int passwordArg) {
        if (password == null) return RespReplies.of(RespReplies.NO_PASSWORD);
        boolean userOk = userArg < 0 || args.is(userArg, "default");
        boolean ok = userOk && args.length(passwordArg) == password.length;
        for (int i = 0; ok && i < password.length; i++) {
            ok = args.buf().getByte(args.offset(passwordArg) + i) == password[i];
        }
        authenticated = ok;
        return RespReplies.of(ok ? RespReplies.OK : RespReplies.WRONGPASS);
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only. */
    private LocalReply hello(ByteBufAllocator alloc, RespArgs args) {
        int argc = args.count();
        int i = 1;
        if (argc > 1) {
            long proto = args.number(1);
            if (proto == Long.MIN_VALUE) {
                return reply(RespReplies.error(alloc, "ERR Protocol version is not an integer or out of range"));
            }
            if (proto != 2) {
                return reply(RespReplies.error(alloc, "NOPROTO sorry, this protocol version is not supported: "
                        + "shardgate speaks RESP2 only"));
            }
            i = 2;
        }
        for (; i < argc; i++) {
            if (args.is(i, "auth") && i + 2 < argc) {
                ByteBuf result = auth(args, i + 1, i + 2);
                if (!authenticated) return reply(result);
                result.release();
                i += 2;
            } else if (args.is(i, "setname") && i + 1 < argc) {
                i += 1;
            } else {
                return reply(RespReplies.error(alloc, "ERR Syntax error in HELLO option '" + args.text(i, 128) + "'"));
            }
        }
        if (!authenticated) return reply(RespReplies.of(RespReplies.NOAUTH));
        ByteBuf r = alloc.buffer(128);
        r.writeCharSequence("*14\r\n", StandardCharsets.US_ASCII);
        String[] fields = {"server", "redis", "version", version};
        for (String s : fields) bulk(r, s);
        bulk(r, "proto");
        r.writeCharSequence(":2\r\n", StandardCharsets.US_ASCII);
        bulk(r, "id");
        r.writeCharSequence(":0\r\n", StandardCharsets.US_ASCII);
        for (String s : new String[] {"mode", "standalone", "role", "master", "modules"}) bulk(r, s);
        r.writeCharSequence("*0\r\n", StandardCharsets.US_ASCII);
        return reply(r);
    }

    private static void bulk(ByteBuf r, String s) {
        r.writeByte('$');
        RespReplies.writeDecimal(r, s.length());
        r.writeByte('\r').writeByte('\n');
        r.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        r.writeByte('\r').writeByte('\n');
    }
}
