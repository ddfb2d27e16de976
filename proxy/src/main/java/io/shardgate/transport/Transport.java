package io.shardgate.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The I/O transport of every event loop and channel: io_uring, native epoll, or NIO. Each channel it makes
 * uses the proxy's buffer allocator ({@link Buffers}), whatever Netty's default is.
 */
public enum Transport {
    IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

    /** The system property that picks the transport: {@code io_uring}, {@code epoll}, {@code nio} or {@code auto}. */
    public static final String PROPERTY = "shardgate.transport";

    /**
     * Netty 4.2.18's io_uring arms its POLLIN as a multishot poll, which is edge-triggered: when a peer's data and
     * its RST arrive together, the data is read, no second edge comes for the pending error, and the reset goes
     * unnoticed (a backend that resets mid-reply left its requests waiting for the timeout; ServerFailureIT). A
     * one-shot poll, re-armed per read loop, sees the error at once. Set before Netty's IoUring class loads,
     * unless the operator set it.
     */
    static final String IO_URING_MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

    /**
     * Netty 4.2.18 re-arms a multishot accept that ended in an error at once, whatever autoRead says, so a listener
     * out of file descriptors (EMFILE) spun at 100% CPU where epoll and NIO pause as the server's AcceptFailures asks
     * (FileDescriptorLimitIT: 3.2 s of CPU in 2.3 s, against 0.2 s with a one-shot accept). A one-shot accept per
     * read loop honours the pause; accepts are rare for a proxy. Set like the poll above, unless the operator did.
     */
    static final String IO_URING_MULTISHOT_ACCEPT = "io.netty.iouring.acceptMultiShotEnabled";

    static {
        for (String property : new String[] {IO_URING_MULTISHOT_POLL, IO_URING_MULTISHOT_ACCEPT}) {
            if (System.getProperty(property) == null) System.setProperty(property, "false");
        }
    }

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The name {@code -Dshardgate.transport} takes and the start-up log shows. */
    public String label() {
        return label;
    }

    /** Whether this machine can run the transport: the kernel, the native library and seccomp all allow it. */
    public boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why the transport cannot run here, for the log and for errors; null when it can. */
    public String unavailabilityReason() {
        if (isAvailable()) return null;
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return describe(cause);
    }

    /** The transport and why it was chosen, for the start-up log. */
    public record Choice(Transport transport, String why) {}

    /** The transport {@code -Dshardgate.transport} asks for (default {@code auto}). */
    public static Choice fromSystemProperty() {
        return choose(System.getProperty(PROPERTY, "auto"), Transport::unavailabilityReason);
    }

    /**
     * {@code auto} (or null) takes io_uring where the kernel allows it, else epoll, else NIO, and says why a faster
     * one was passed over. A transport asked for by name that cannot run here is an error naming the reason: an
     * operator (or a test run) that asked for io_uring must not get epoll without knowing. {@code whyNot} gives a
     * transport's unavailability reason, null when it can run.
     */
    static Choice choose(String requested, Function<Transport, String> whyNot) {
        String name = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("auto")) return auto(whyNot);
        Transport transport = byLabel(name);
        String reason = whyNot.apply(transport);
        if (reason != null) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + transport.label + " asks for the " + transport.label
                    + " transport, which cannot run here: " + reason);
        }
        return new Choice(transport, "-D" + PROPERTY + "=" + transport.label);
    }

    private static Choice auto(Function<Transport, String> whyNot) {
        StringBuilder passedOver = new StringBuilder();
        for (Transport t : values()) {
            String reason = whyNot.apply(t);
            if (reason == null) {
                return new Choice(t, passedOver.isEmpty() ? "auto: " + t.label + " is available"
                        : "auto: " + passedOver + "so " + t.label);
            }
            passedOver.append(t.label).append(" is not available: ").append(reason).append("; ");
        }
        throw new IllegalStateException("no transport can run here: " + passedOver);
    }

    static Transport byLabel(String name) {
        for (Transport t : values()) {
            if (t.label.equals(name) || t.name().equalsIgnoreCase(name)) return t;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + ": unknown transport (io_uring, epoll, nio or auto)");
    }

    private static String describe(Throwable cause) {
        if (cause == null) return "no reason given";
        // the native loaders wrap the real reason (seccomp's EPERM, a missing library) a few levels down
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = cause.toString();
        return root == cause ? message : message + ", caused by " + root;
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory factory) {
        return new MultiThreadIoEventLoopGroup(threads, factory, ioHandlerFactory());
    }

    private IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public ChannelFactory<? extends Channel> socketChannelFactory() {
        return switch (this) {
            case IO_URING -> withAllocator(IoUringSocketChannel::new);
            case EPOLL -> withAllocator(EpollSocketChannel::new);
            case NIO -> withAllocator(NioSocketChannel::new);
        };
    }

    public ChannelFactory<? extends ServerChannel> serverChannelFactory() {
        return switch (this) {
            case IO_URING -> withAllocator(IoUringServerSocketChannel::new);
            case EPOLL -> withAllocator(EpollServerSocketChannel::new);
            case NIO -> withAllocator(NioServerSocketChannel::new);
        };
    }

    /** Unix domain socket listeners need a native transport. */
    public ChannelFactory<? extends ServerChannel> domainServerChannelFactory() {
        return switch (this) {
            case IO_URING -> withAllocator(IoUringServerDomainSocketChannel::new);
            case EPOLL -> withAllocator(EpollServerDomainSocketChannel::new);
            case NIO -> throw new IllegalStateException(
                    "unix socket listeners need a native transport (io_uring or epoll), and NIO is in use");
        };
    }

    /** The allocator of the accepted connections is set by the listener ({@code childOption}). */
    private static <C extends Channel> ChannelFactory<C> withAllocator(Supplier<C> constructor) {
        ByteBufAllocator allocator = Buffers.allocator();
        return () -> {
            C channel = constructor.get();
            channel.config().setAllocator(allocator);
            return channel;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
