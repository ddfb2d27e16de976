package io.shardgate.config;

/**
 * Where a pool listens: a TCP {@code host:port}, or a unix socket path with an optional octal file mode.
 *
 * @param unixMode file permissions for the socket, or -1 to leave the default
 */
public record ListenAddress(String host, int port, String unixPath, int unixMode) {
    public static ListenAddress tcp(String host, int port) {
        return new ListenAddress(host, port, null, -1);
    }

    public static ListenAddress unix(String path, int mode) {
        return new ListenAddress(null, 0, path, mode);
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    @Override
    public String toString() {
        if (isUnix()) return unixMode >= 0 ? unixPath + " 0" + Integer.toOctalString(unixMode) : unixPath;
        return host + ":" + port;
    }
}
