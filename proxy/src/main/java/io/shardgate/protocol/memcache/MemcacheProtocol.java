package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.shardgate.config.FailurePolicy;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.Forwarding;
import io.shardgate.protocol.PendingReplies;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.protocol.ShardGateVersion;

/**
 * The memcached text and meta protocols: single-key commands forwarded as sent, retrievals split per server and
 * merged, meta commands routed by key with quiet mode kept by the proxy ({@link MetaForwarder}).
 */
public final class MemcacheProtocol implements ProxyProtocol<MemcacheRequest> {
    private static final HealthProbe VERSION_PROBE =
            new HealthProbe("version\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "VERSION ");

    private static final ByteBuf FLUSH_NOT_ALLOWED = io.netty.buffer.Unpooled.unreleasableBuffer(
            io.netty.buffer.Unpooled.copiedBuffer("CLIENT_ERROR flush_all not allowed\r\n",
                    java.nio.charset.StandardCharsets.US_ASCII)).asReadOnly();

    private final int maxValueBytes;
    private final Forwarding.Splitter<McRequest> retrievals;
    /** The pool served, for its name and settings; null for a protocol used on its own (tests, benchmarks). */
    private final PoolConfig pool;
    private final ByteBuf versionReply;

    /** The protocol of {@code pool}, whose clients may store values of up to {@code maxValueBytes}. */
    public MemcacheProtocol(PoolConfig pool, int maxValueBytes) {
        this(pool, maxValueBytes, pool.failurePolicy());
    }

    /** The protocol without a pool: for codecs used on their own (tests, benchmarks). */
    public MemcacheProtocol(int maxValueBytes, FailurePolicy failurePolicy) {
        this(null, maxValueBytes, failurePolicy);
    }

    private MemcacheProtocol(PoolConfig pool, int maxValueBytes, FailurePolicy failurePolicy) {
        this.pool = pool;
        this.maxValueBytes = maxValueBytes;
        this.retrievals = MultiGet.splitter(failurePolicy);
        this.versionReply = io.netty.buffer.Unpooled.unreleasableBuffer(
                io.netty.buffer.Unpooled.copiedBuffer("VERSION " + ShardGateVersion.get() + "\r\n",
                        java.nio.charset.StandardCharsets.US_ASCII)).asReadOnly();
    }

    @Override
    public ChannelHandler newRequestDecoder() {
        return new McRequestDecoder(maxValueBytes);
    }

    @Override
    public ChannelHandler newReplyFramer(PendingReplies pending) {
        return new McReplyFramer(pending);
    }

    @Override
    public Class<MemcacheRequest> requestType() {
        return MemcacheRequest.class;
    }

    @Override
    public void dispatch(MemcacheRequest message, ClientContext client) {
        if (message instanceof MetaRequest meta) {
            MetaForwarder.dispatch(meta, client);
        } else {
            dispatch((McRequest) message, client);
        }
    }

    private static final java.util.List<String> COMMAND_NAMES = java.util.Arrays.stream(McCommand.values())
            .map(c -> new String(c.name, java.nio.charset.StandardCharsets.US_ASCII)).toList();

    @Override
    public java.util.List<String> commandNames() {
        return COMMAND_NAMES;
    }

    private void dispatch(McRequest request, ClientContext client) {
        client.countCommand(request.command.ordinal());
        switch (request.command.kind) {
            case RETRIEVAL -> MultiGet.dispatch(request, client, retrievals);
            case LOCAL -> {
                McCommand command = request.command;
                request.release();
                switch (command) {
                    case VERSION -> client.nextReply().onReply(versionReply.duplicate());
                    case QUIT -> client.closeAfterReplies();
                    default -> throw new IllegalStateException("unhandled local command " + command);
                }
            }
            case ADMIN -> admin(request, client);
            default -> Forwarding.toKeyServer(request, client, request.noreply ? null : client.nextReply());
        }
    }

    private void admin(McRequest request, ClientContext client) {
        McCommand command = request.command;
        boolean noreply = request.noreply;
        String arg = request.frame.toString(request.argOffset, request.argLength, java.nio.charset.StandardCharsets.US_ASCII);
        request.release();
        switch (command) {
            case FLUSH_ALL -> {
                if (pool != null && !pool.allowFlushAll()) {
                    if (!noreply) client.nextReply().onReply(FLUSH_NOT_ALLOWED.duplicate());
                    return;
                }
                FlushAll.broadcast(client, arg, noreply, pool == null ? "" : pool.name());
            }
            case STATS -> stats(arg, client);
            default -> throw new IllegalStateException("unhandled admin command " + command);
        }
    }

    private void stats(String args, ClientContext client) {
        ReplyWaiter waiter = client.nextReply();
        StatsReply.Group group = StatsReply.group(args);
        switch (group) {
            case SETTINGS -> waiter.onReply(StatsReply.settings(client.alloc(), pool, maxValueBytes));
            case EMPTY -> waiter.onReply(StatsReply.empty());
            case UNSUPPORTED -> waiter.onReply(McReplies.clientErrorLine(
                    "CLIENT_ERROR stats " + args.split(" ", 2)[0] + " is not supported by shardgate"));
            case UNKNOWN -> waiter.onReply(McReplies.of(McReplies.ERROR));
            case GENERAL, SERVERS -> {
                client.proxyFigures(figures -> {
                    if (figures == null) {
                        waiter.onReply(McReplies.serverError(client.alloc(), "stats are not available"));
                    } else {
                        waiter.onReply(group == StatsReply.Group.SERVERS ? StatsReply.servers(client.alloc(), figures)
                                : StatsReply.general(client.alloc(), figures));
                    }
                });
            }
        }
    }

    @Override
    public HealthProbe healthProbe() {
        return VERSION_PROBE;
    }

    @Override
    public ByteBuf failureReply(ByteBufAllocator alloc, String reason) {
        return McReplies.serverError(alloc, reason);
    }
}
