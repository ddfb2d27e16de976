package io.shardgate.routing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking memcached text-protocol client for placement tests: pipelined {@code set}s and {@code mg}
 * probes in batches, keys as raw bytes. Keys travel as ISO-8859-1 strings, which map bytes 1:1 to chars.
 */
final class RawMemcacheClient implements AutoCloseable {
    private static final int BATCH = 200;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawMemcacheClient(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One {@code set}; returns the reply line (e.g. STORED, SERVER_ERROR ...), or null if the peer closed. */
    String set(String key) throws IOException {
        out.write(setCommand(key));
        out.flush();
        return readLine();
    }

    /** Pipelined {@code set}s; returns the keys whose reply was not STORED, with the reply. */
    List<String> setAll(List<String> keys) throws IOException {
        List<String> failures = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (String key : batch) buf.write(setCommand(key));
            out.write(buf.toByteArray());
            out.flush();
            for (String key : batch) {
                String reply = readLine();
                if (!"STORED".equals(reply)) failures.add(key + " -> " + reply);
            }
        }
        return failures;
    }

    /** Pipelined {@code mg <key>} (no flags): true where this server holds the key. */
    boolean[] holds(List<String> keys) throws IOException {
        boolean[] held = new boolean[keys.size()];
        for (int from = 0; from < keys.size(); from += BATCH) {
            int to = Math.min(keys.size(), from + BATCH);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int i = from; i < to; i++) {
                buf.write(bytes("mg " + keys.get(i) + "\r\n"));
            }
            out.write(buf.toByteArray());
            out.flush();
            for (int i = from; i < to; i++) {
                String reply = readLine();
                if ("HD".equals(reply)) {
                    held[i] = true;
                } else if (!"EN".equals(reply)) {
                    throw new IOException("unexpected mg reply for key " + keys.get(i) + ": " + reply);
                }
            }
        }
        return held;
    }

    void flushAll() throws IOException {
        out.write(bytes("flush_all\r\n"));
        out.flush();
        String reply = readLine();
        if (!"OK".equals(reply)) throw new IOException("flush_all: " + reply);
    }

    private static byte[] setCommand(String key) {
        return bytes("set " + key + " 0 0 1\r\nx\r\n");
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
