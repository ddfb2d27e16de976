package io.shardgate.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/** Native epoll where the platform has it, NIO elsewhere. */
public enum Transport {
    EPOLL, NIO;

    /** epoll when available, unless {@code -Dshardgate.transport=nio} asks for NIO (to test both). */
    public static Transport best() {
        if ("nio".equalsIgnoreCase(System.getProperty("shardgate.transport"))) return NIO;
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory factory) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    public ChannelFactory<? extends Channel> socketChannelFactory() {
        return this == EPOLL ? EpollSocketChannel::new : NioSocketChannel::new;
    }

    public ChannelFactory<? extends ServerChannel> serverChannelFactory() {
        return this == EPOLL ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
    }

    /** Unix domain socket listeners need the native transport. */
    public ChannelFactory<? extends ServerChannel> domainServerChannelFactory() {
        if (this != EPOLL) {
            throw new IllegalStateException("unix socket listeners need the native epoll transport, which is not available here");
        }
        return EpollServerDomainSocketChannel::new;
    }
}
