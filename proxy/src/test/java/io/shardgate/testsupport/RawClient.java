package io.shardgate.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket that checks exact bytes; every read is bounded by a timeout. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawClient timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes {@code bytes} in one write on another thread, so the caller can read replies meanwhile: a client
     * that writes a large pipeline without reading is held back by the proxy, as it would be by memcached.
     */
    public java.util.concurrent.CompletableFuture<Void> sendInBackground(byte[] bytes) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> send(bytes));
    }

    /** Reads exactly {@code n} bytes. */
    public byte[] read(int n) {
        byte[] buf = new byte[n];
        int off = 0;
        try {
            while (off < n) {
                int r = in.read(buf, off, n - off);
                if (r < 0) throw new IllegalStateException("connection closed after " + off + " of " + n + " bytes: "
                        + new String(buf, 0, off, StandardCharsets.ISO_8859_1));
                off += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("after " + off + " of " + n + " bytes: "
                    + new String(buf, 0, off, StandardCharsets.ISO_8859_1), e);
        }
        return buf;
    }

    /** Reads as many bytes as {@code expected} has and returns them as text, for comparison. */
    public String readLike(String expected) {
        return new String(read(expected.getBytes(StandardCharsets.ISO_8859_1).length), StandardCharsets.ISO_8859_1);
    }

    /** Reads one line, with its {@code \r\n}. */
    public String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int n = 0; n < 1_000_000; n++) {
                int b = in.read();
                if (b < 0) throw new IllegalStateException("connection closed mid-line: " + line);
                line.write(b);
                if (b == '\n') return line.toString(StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("line too long");
    }

    /** Reads until {@code suffix} has been read, at most {@code max} bytes. */
    public String readUntil(String suffix, int max) {
        StringBuilder sb = new StringBuilder();
        try {
            while (sb.length() < max) {
                int b = in.read();
                if (b < 0) throw new IllegalStateException("connection closed, got: " + sb);
                sb.append((char) b);
                if (sb.length() >= suffix.length() && sb.lastIndexOf(suffix) == sb.length() - suffix.length()) {
                    return sb.toString();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("got so far: " + sb, e);
        }
        throw new IllegalStateException("no " + suffix + " within " + max + " bytes: " + sb);
    }

    /** True when the peer closed the connection (end of stream) within the read timeout. */
    public boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
