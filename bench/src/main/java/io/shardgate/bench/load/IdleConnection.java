package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** A connection that is opened and held, sending nothing: it only notes if the server talks or hangs up. */
public final class IdleConnection extends ChannelInboundHandlerAdapter {
    private volatile boolean open;
    private volatile boolean closing;
    private volatile boolean closedByServer;
    private volatile boolean unexpectedBytes;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open = true;
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ((ByteBuf) msg).release();
        unexpectedBytes = true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open = false;
        if (!closing) closedByServer = true;
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    public void closing() {
        closing = true;
    }

    public boolean isOpen() {
        return open;
    }

    public boolean closedByServer() {
        return closedByServer;
    }

    public boolean receivedBytes() {
        return unexpectedBytes;
    }
}
