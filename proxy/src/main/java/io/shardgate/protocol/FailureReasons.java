package io.shardgate.protocol;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Turns an I/O failure into the short strerror-style reason nutcracker puts after {@code SERVER_ERROR}. */
public final class FailureReasons {
    public static final String CONNECTION_REFUSED = "Connection refused";
    public static final String CONNECTION_RESET = "Connection reset by peer";
    public static final String CONNECTION_CLOSED = "Connection closed by server";
    public static final String TIMED_OUT = "Connection timed out";
    public static final String NO_LIVE_SERVER = "No live servers in pool";
    public static final String SERVER_EJECTED = "Server ejected from pool";
    public static final String TOO_MANY_QUEUED = "Too many requests queued for server";

    private FailureReasons() {}

    public static String of(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) return TIMED_OUT;
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException || message.contains("connection refused")) return CONNECTION_REFUSED;
        if (message.contains("reset")) return CONNECTION_RESET;
        if (message.contains("timed out")) return TIMED_OUT;
        if (cause instanceof ClosedChannelException) return CONNECTION_CLOSED;
        if (cause instanceof java.net.UnknownHostException) return "Unknown host " + cause.getMessage();
        if (cause instanceof IOException && cause.getMessage() != null) return cause.getMessage();
        return cause.getClass().getSimpleName();
    }
}
