package io.shardgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving backend on a loopback port, for failures a real memcached won't produce on demand: one that
 * accepts and never answers, one that resets the connection half way through a reply, one that answers garbage.
 */
public final class FakeServer implements AutoCloseable {
    /**
     * SILENT reads and answers nothing; RESET_MID_REPLY sends half a reply and resets the connection; GARBAGE answers
     * every read with a line that is no reply at all; NEVER_READS accepts and reads nothing, so what is sent to it
     * piles up in the socket buffers and then in the sender.
     */
    public enum Behaviour { SILENT, RESET_MID_REPLY, GARBAGE, NEVER_READS }

    /** What GARBAGE answers. */
    public static final String GARBAGE_LINE = "STOR\u0000ED\r\n";

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FakeServer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fake-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeServer start(Behaviour behaviour) {
        try {
            return new FakeServer(behaviour);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.add(client);
                if (behaviour == Behaviour.NEVER_READS) continue;
                Thread handler = new Thread(() -> serve(client), "fake-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                if (behaviour == Behaviour.RESET_MID_REPLY) {
                    client.getOutputStream().write("VALUE k 0 10\r\nabc".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    client.setSoLinger(true, 0); // close with RST
                    return;
                }
                if (behaviour == Behaviour.GARBAGE) {
                    client.getOutputStream().write(GARBAGE_LINE.getBytes(StandardCharsets.ISO_8859_1));
                    client.getOutputStream().flush();
                }
                // SILENT: read and drop, answer nothing
            }
        } catch (IOException ignored) {
            // the proxy closed its side
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket s : accepted) s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
