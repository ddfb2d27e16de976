package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.Forwarding;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.protocol.ShardGateVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The redis protocol (RESP2 on both sides): single-key commands forwarded as the client sent them and their
 * replies passed back as received; MGET, MSET, DEL, UNLINK, EXISTS and TOUCH split per server and merged;
 * commands whose keys must live together forwarded when they do; the rest answered or refused by the proxy.
 * Backend connections authenticate ({@code redis_auth}) and select the pool's database ({@code redis_db}) first.
 */
public final class RedisProtocol implements ProxyProtocol<RedisRequest> {
    private final RedisLimits limits;
    private final byte[] password;
    private final int db;

    public RedisProtocol(PoolConfig pool, RedisLimits limits) {
        this.limits = limits;
        this.password = pool.redisAuth() == null ? null : pool.redisAuth().getBytes(StandardCharsets.UTF_8);
        this.db = pool.redisDb();
    }

    @Override
    public ChannelHandler newRequestDecoder() {
        return new RespRequestDecoder(limits, password, ShardGateVersion.get());
    }

    @Override
    public ChannelHandler newReplyFramer(io.shardgate.protocol.PendingReplies pending) {
        return new RespReplyFramer(); // RESP replies are self-delimiting: no request needs to tell the framer anything
    }

    @Override
    public Class<RedisRequest> requestType() {
        return RedisRequest.class;
    }

    @Override
    public void dispatch(RedisRequest request, ClientContext client) {
        client.countCommand(request.command.id);
        switch (request.command.kind) {
            case SPLIT -> MultiKey.dispatch(request, client);
            case TOGETHER -> together(request, client);
            default -> Forwarding.toKeyServer(request, client, client.nextReply()); // SINGLE, ANY_SERVER: one key
        }
    }

    /** Keys that must be on one server: forwarded whole to it, or refused when they are not. */
    private static void together(RedisRequest request, ClientContext client) {
        ReplyWaiter waiter = client.nextReply();
        int server = -1;
        for (int k = 0; k < request.keyCount(); k++) {
            int s = client.route(request.frame, request.keyOffset(k), request.keyLength(k));
            if (s < 0) {
                server = -1;
                break;
            }
            if (k > 0 && s != server) {
                String name = request.command.name;
                request.release();
                waiter.onReply(RespReplies.error(client.alloc(), "ERR keys of '" + name
                        + "' are on different servers; keep them together with a hash tag"));
                return;
            }
            server = s;
        }
        Forwarding.toServer(request, client, server, waiter);
    }

    /** {@code -ERR <reason>}, nutcracker's form for a request that failed at or before the server. */
    private static final HealthProbe PING_PROBE =
            new HealthProbe("*1\r\n$4\r\nPING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "+PONG");

    @Override
    public java.util.List<String> commandNames() {
        return RedisCommands.NAMES;
    }

    @Override
    public HealthProbe healthProbe() {
        return PING_PROBE;
    }

    @Override
    public ByteBuf failureReply(ByteBufAllocator alloc, String reason) {
        return RespReplies.error(alloc, "ERR " + reason);
    }

    /** AUTH with redis_auth and SELECT with a redis_db other than 0, each expecting {@code +OK}. */
    @Override
    public List<Handshake> handshake(ByteBufAllocator alloc) {
        List<Handshake> steps = new ArrayList<>(2);
        if (password != null) {
            ByteBuf auth = command(alloc, "AUTH".getBytes(StandardCharsets.US_ASCII), password);
            // a client whose requests fail because the server refused the proxy's password is told, as the
            // server itself would tell it, that authentication is required, and why
            steps.add(new Handshake(auth, reply -> {
                String problem = expectOk(reply, "AUTH");
                return problem == null ? null : "Authentication required: " + problem;
            }));
        }
        if (db != 0) {
            ByteBuf select = command(alloc, "SELECT".getBytes(StandardCharsets.US_ASCII),
                    Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
            steps.add(new Handshake(select, reply -> expectOk(reply, "SELECT " + db)));
        }
        return steps;
    }

    private static ByteBuf command(ByteBufAllocator alloc, byte[]... words) {
        ByteBuf buf = alloc.buffer(64);
        buf.writeByte('*');
        RespReplies.writeDecimal(buf, words.length);
        buf.writeByte('\r').writeByte('\n');
        for (byte[] word : words) {
            buf.writeByte('$');
            RespReplies.writeDecimal(buf, word.length);
            buf.writeByte('\r').writeByte('\n').writeBytes(word).writeByte('\r').writeByte('\n');
        }
        return buf;
    }

    private static String expectOk(ByteBuf reply, String what) {
        if (reply.equals(RespReplies.OK)) return null;
        int length = Math.min(reply.readableBytes(), 200);
        String text = reply.toString(reply.readerIndex(), length, StandardCharsets.ISO_8859_1).strip();
        if (text.startsWith("-")) text = text.substring(1);
        return what + " to server failed: " + text;
    }
}
