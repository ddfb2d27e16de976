package io.shardgate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks the chaos run relies on: a reply holding another key's value, or a version nobody wrote, or one older than acknowledged, is caught. */
class VersionedRepliesTest {
    private final KeySpace keys = new KeySpace("v:", 100);
    private final ValueSpec values = new ValueSpec(40, 1);
    private final KeyVersions versions = new KeyVersions(100);

    /** Requests in flight and the outcome of each, for a parser. */
    private static final class Flight implements ReplyParser.Listener {
        final ArrayDeque<Request> inFlight = new ArrayDeque<>();
        final List<ErrorKind> outcomes = new ArrayList<>();

        Request add(Request r) {
            inFlight.add(r);
            return r;
        }

        @Override
        public Request current() {
            return inFlight.peek();
        }

        @Override
        public void completed(Request r) {
            inFlight.poll();
            outcomes.add(r.error());
        }
    }

    private byte[] value(int key, int version) {
        ByteBuf out = Unpooled.buffer();
        values.writeValue(key, version, out, new byte[16]);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    private static ByteBuf bytes(Object... parts) {
        ByteBuf b = Unpooled.buffer();
        for (Object p : parts) b.writeBytes(p instanceof byte[] a ? a : p.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b;
    }

    private Request get(int key, int floor) {
        Request r = new Request(4).get(key);
        r.floor(0, floor);
        return r;
    }

    @Test
    void memcachedRepliesAreCheckedAgainstWhatWasWritten() {
        for (int i = 0; i < 3; i++) versions.next(7); // versions 1..3 of key 7 written
        versions.acknowledged(7, 2);
        Flight f = new Flight();
        MemcacheReplyParser parser = new MemcacheReplyParser(keys, ValueCheck.versioned(values, versions), f, true);
        f.add(get(7, 2));
        f.add(get(7, 2));
        f.add(get(7, 2));
        f.add(get(7, 2));
        f.add(get(7, 2));
        ByteBuf in = bytes("VALUE v:7 0 40\r\n", value(7, 3), "\r\nEND\r\n", // the newest: fine
                "VALUE v:7 0 40\r\n", value(7, 1), "\r\nEND\r\n", // older than acknowledged when sent
                "VALUE v:7 0 40\r\n", value(7, 4), "\r\nEND\r\n", // never written
                "VALUE v:7 0 40\r\n", value(8, 1), "\r\nEND\r\n", // another key's value under this key's name
                "END\r\n"); // a miss, allowed here
        assertThat(parser.parse(in)).isTrue();
        assertThat(f.outcomes).containsExactly(null, ErrorKind.STALE_VALUE, ErrorKind.UNWRITTEN_VERSION,
                ErrorKind.WRONG_VALUE, null);
        in.release();
    }

    @Test
    void anOlderVersionIsFreshWhenAWriteOfItsVersionOrANewerOneFailed() {
        for (int i = 0; i < 3; i++) versions.next(5);
        versions.acknowledged(5, 3);
        versions.uncertain(5, 2); // timed out: it may land after version 3
        assertThat(versions.fresh(5, 2, 3)).isTrue();
        assertThat(versions.fresh(5, 1, 3)).isFalse();
    }

    @Test
    void redisRepliesAreCheckedByPosition() {
        versions.next(1);
        versions.next(2);
        Flight f = new Flight();
        RespReplyParser parser = new RespReplyParser(ValueCheck.versioned(values, versions), f, false);
        Request mget = f.add(new Request(4).get(1, 2));
        Request swapped = f.add(new Request(4).get(1, 2));
        Request set = f.add(new Request(4).set(3, 1));
        Request failed = f.add(new Request(4).get(1));
        Request miss = f.add(new Request(4).get(2));
        ByteBuf in = bytes("*2\r\n$40\r\n", value(1, 1), "\r\n$40\r\n", value(2, 1), "\r\n",
                "*2\r\n$40\r\n", value(2, 1), "\r\n$40\r\n", value(1, 1), "\r\n", // the values in the wrong places
                "+OK\r\n", "-ERR Connection timed out\r\n", "$-1\r\n");
        assertThat(parser.parse(in)).isTrue();
        assertThat(f.outcomes).containsExactly(null, ErrorKind.WRONG_VALUE, null, ErrorKind.SERVER_ERROR,
                ErrorKind.MISSING_VALUE);
        assertThat(failed.errorText()).isEqualTo("-ERR Connection timed out");
        assertThat(List.of(mget, swapped, set, miss)).hasSize(4);
        in.release();
        // an MGET answered with an array of another size is out of step: the parser refuses it
        f.add(new Request(4).get(1, 2));
        ByteBuf wrong = bytes("*3\r\n");
        assertThat(parser.parse(wrong)).isFalse();
        assertThat(parser.failure()).contains("array of another size");
        wrong.release();
    }

    @Test
    void redisRequestsAreRespArraysOfBulkStrings() {
        RedisProtocol p = new RedisProtocol(keys, values, false);
        ByteBuf out = Unpooled.buffer();
        p.encode(new Request(4).get(12), out, new byte[16]);
        p.encode(new Request(4).get(3, 45), out, new byte[16]);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(
                "*2\r\n$3\r\nGET\r\n$4\r\nv:12\r\n*3\r\n$4\r\nMGET\r\n$3\r\nv:3\r\n$4\r\nv:45\r\n");
        out.clear();
        p.encode(new Request(4).set(9, 7), out, new byte[16]);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("*3\r\n$3\r\nSET\r\n$3\r\nv:9\r\n$40\r\n"
                + new String(value(9, 7), StandardCharsets.US_ASCII) + "\r\n");
        out.release();
    }
}
