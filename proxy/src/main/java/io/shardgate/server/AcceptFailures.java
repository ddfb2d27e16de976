package io.shardgate.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.shardgate.stats.RateLimitedLog;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that cannot accept (out of file descriptors, mostly) stops accepting for a second and says so once per
 * 10 s, instead of Netty's stack trace at the end of the pipeline for every try. Connections meanwhile wait in the
 * listen backlog, as under nutcracker, and are taken once descriptors are free again.
 */
@ChannelHandler.Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
    private static final RateLimitedLog events = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    static final long PAUSE_MILLIS = 1_000;

    private final String pool;

    AcceptFailures(String pool) {
        this.pool = pool;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        events.warn(pool, "accept failed", "pool '{}': cannot accept connections: {}; trying again every {} ms", pool,
                cause.getMessage(), PAUSE_MILLIS);
        ctx.channel().config().setAutoRead(false);
        ctx.channel().eventLoop().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS,
                TimeUnit.MILLISECONDS);
    }
}
