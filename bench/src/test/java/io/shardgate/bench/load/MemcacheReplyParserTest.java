package io.shardgate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemcacheReplyParserTest {
    private final KeySpace keys = new KeySpace("t:", 1000);
    private final ValueSpec values = new ValueSpec(100, 7);

    /** The requests in flight, and the ones completed, in order. */
    private static final class Flight implements ReplyParser.Listener {
        final Deque<Request> inFlight = new ArrayDeque<>();
        final List<Request> done = new ArrayList<>();

        Flight add(Request r) {
            inFlight.add(r);
            return this;
        }

        @Override
        public Request current() {
            return inFlight.peekFirst();
        }

        @Override
        public void completed(Request request) {
            assertThat(inFlight.pollFirst()).isSameAs(request);
            done.add(request);
        }
    }

    private static Request get(int... keys) {
        return new Request(Math.max(1, keys.length)).get(keys);
    }

    private static Request set(int key) {
        return new Request(1).set(key);
    }

    private byte[] valueReply(int key, ValueSpec spec) {
        return valueReply(key, spec.valueOf(key), 0);
    }

    private byte[] valueReply(int key, byte[] data, int flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("VALUE " + keys.keyString(key) + " " + flags + " " + data.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(crlf());
        return out.toByteArray();
    }

    private static byte[] crlf() {
        return "\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in one read; returns the parse result. */
    private boolean feed(MemcacheReplyParser parser, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        boolean ok = parser.parse(buf);
        if (ok) assertThat(buf.readableBytes()).as("a complete reply leaves nothing unread").isZero();
        return ok;
    }

    /** Feeds {@code bytes} in reads cut at {@code cuts}, keeping unread bytes as a connection would. */
    private boolean feedSplit(MemcacheReplyParser parser, byte[] bytes, int... cuts) {
        ByteBuf cumulation = Unpooled.buffer();
        int from = 0;
        int[] ends = new int[cuts.length + 1];
        System.arraycopy(cuts, 0, ends, 0, cuts.length);
        ends[cuts.length] = bytes.length;
        for (int end : ends) {
            cumulation.writeBytes(bytes, from, end - from);
            from = end;
            if (!parser.parse(cumulation)) return false;
            cumulation.discardReadBytes();
        }
        assertThat(cumulation.readableBytes()).isZero();
        return true;
    }

    @Test
    void aCorrectSingleKeyGetVerifies() {
        Flight f = new Flight().add(get(42));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, concat(valueReply(42, values), ascii("END\r\n")))).isTrue();
        assertThat(f.done).hasSize(1);
        assertThat(f.done.get(0).error()).isNull();
    }

    @Test
    void oneWrongByteInTheValueIsAWrongValue() {
        for (int position : new int[] {0, 12, 13, 50, 99}) {
            byte[] data = values.valueOf(42);
            data[position] ^= 1;
            Flight f = new Flight().add(get(42)).add(get(43));
            MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
            assertThat(feed(p, concat(valueReply(42, data, 0), ascii("END\r\n"), valueReply(43, values), ascii("END\r\n"))))
                    .isTrue();
            assertThat(f.done).hasSize(2);
            assertThat(f.done.get(0).error()).as("byte %d flipped", position).isEqualTo(ErrorKind.WRONG_VALUE);
            assertThat(f.done.get(1).error()).as("the next reply still verifies").isNull();
        }
    }

    @Test
    void anotherKeysValueOrAnotherVersionIsWrong() {
        Flight f = new Flight().add(get(42));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        // key 42 announced, but the bytes are key 41's
        assertThat(feed(p, concat(valueReply(42, values.valueOf(41), 0), ascii("END\r\n")))).isTrue();
        assertThat(f.done.get(0).error()).isEqualTo(ErrorKind.WRONG_VALUE);

        f = new Flight().add(get(42));
        p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, concat(valueReply(42, new ValueSpec(100, 8).valueOf(42), 0), ascii("END\r\n")))).isTrue();
        assertThat(f.done.get(0).error()).isEqualTo(ErrorKind.WRONG_VALUE);

        f = new Flight().add(get(42));
        p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, concat(valueReply(41, values), ascii("END\r\n")))).isTrue();
        assertThat(f.done.get(0).error()).as("value for a key not asked for").isEqualTo(ErrorKind.UNEXPECTED_KEY);
    }

    @Test
    void aMissIsAnErrorUnlessMissesAreAllowed() {
        Flight f = new Flight().add(get(5));
        assertThat(feed(new MemcacheReplyParser(keys, values, f, false), ascii("END\r\n"))).isTrue();
        assertThat(f.done.get(0).error()).isEqualTo(ErrorKind.MISSING_VALUE);

        f = new Flight().add(get(5));
        assertThat(feed(new MemcacheReplyParser(keys, values, f, true), ascii("END\r\n"))).isTrue();
        assertThat(f.done.get(0).error()).isNull();
        assertThat(f.done.get(0).found).isZero();
    }

    @Test
    void multiKeyGetsAcceptAnyOrderButNeedEveryKeyOnce() {
        Flight f = new Flight().add(get(1, 2, 3)).add(get(4, 5)).add(get(6, 7));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        byte[] replies = concat(
                valueReply(3, values), valueReply(1, values), valueReply(2, values), ascii("END\r\n"),
                valueReply(4, values), ascii("END\r\n"),
                valueReply(6, values), valueReply(6, values), valueReply(7, values), ascii("END\r\n"));
        assertThat(feed(p, replies)).isTrue();
        assertThat(f.done).extracting(Request::error)
                .containsExactly(null, ErrorKind.MISSING_VALUE, ErrorKind.DUPLICATE_VALUE);
    }

    @Test
    void wrongLengthOrFlagsFailButTheStreamStaysInStep() {
        Flight f = new Flight().add(get(9)).add(get(10)).add(get(11));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        byte[] shortValue = new byte[40];
        System.arraycopy(values.valueOf(9), 0, shortValue, 0, 40);
        byte[] replies = concat(valueReply(9, shortValue, 0), ascii("END\r\n"),
                valueReply(10, values.valueOf(10), 3), ascii("END\r\n"),
                valueReply(11, values), ascii("END\r\n"));
        assertThat(feed(p, replies)).isTrue();
        assertThat(f.done).extracting(Request::error)
                .containsExactly(ErrorKind.WRONG_LENGTH, ErrorKind.WRONG_FLAGS, null);
    }

    @Test
    void aReplySplitAtEveryPossiblePointParsesTheSame() {
        byte[] replies = concat(valueReply(3, values), valueReply(1, values), ascii("END\r\n"), ascii("STORED\r\n"),
                valueReply(8, values), ascii("END\r\n"));
        for (int cut = 0; cut <= replies.length; cut++) {
            Flight f = new Flight().add(get(1, 3)).add(set(2)).add(get(8));
            MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
            assertThat(feedSplit(p, replies, cut)).as("cut at %d", cut).isTrue();
            assertThat(f.done).as("cut at %d", cut).hasSize(3).extracting(Request::error).containsOnlyNulls();
        }
        // and byte by byte
        int[] everyByte = new int[replies.length - 1];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = i + 1;
        Flight f = new Flight().add(get(1, 3)).add(set(2)).add(get(8));
        assertThat(feedSplit(new MemcacheReplyParser(keys, values, f, false), replies, everyByte)).isTrue();
        assertThat(f.done).hasSize(3).extracting(Request::error).containsOnlyNulls();
    }

    @Test
    void aWrongByteInASplitValueIsStillFound() {
        byte[] data = values.valueOf(3);
        data[70] = (byte) '\n';
        byte[] reply = concat(valueReply(3, data, 0), ascii("END\r\n"));
        for (int cut = 1; cut < reply.length; cut += 7) {
            Flight f = new Flight().add(get(3));
            assertThat(feedSplit(new MemcacheReplyParser(keys, values, f, false), reply, cut)).isTrue();
            assertThat(f.done.get(0).error()).as("cut at %d", cut).isEqualTo(ErrorKind.WRONG_VALUE);
        }
    }

    @Test
    void aTruncatedReplyWaitsForTheRest() {
        byte[] reply = concat(valueReply(3, values), ascii("END\r\n"));
        Flight f = new Flight().add(get(3));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        ByteBuf buf = Unpooled.buffer().writeBytes(reply, 0, reply.length - 3); // "EN" missing its end
        assertThat(p.parse(buf)).isTrue();
        assertThat(f.done).isEmpty();
        assertThat(buf.readableBytes()).as("the partial END line is left unread").isEqualTo(2);
        buf.writeBytes(reply, reply.length - 3, 3);
        assertThat(p.parse(buf)).isTrue();
        assertThat(f.done).hasSize(1);
        assertThat(f.done.get(0).error()).isNull();
    }

    @Test
    void setsMustBeStored() {
        Flight f = new Flight().add(set(1)).add(set(2)).add(set(3)).add(set(4));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, ascii("STORED\r\nNOT_STORED\r\nSERVER_ERROR out of memory storing object\r\nERROR\r\n"))).isTrue();
        assertThat(f.done).extracting(Request::error)
                .containsExactly(null, ErrorKind.NOT_STORED, ErrorKind.SERVER_ERROR, ErrorKind.SERVER_ERROR);
    }

    @Test
    void aServerErrorEndsAGetsReply() {
        Flight f = new Flight().add(get(1, 2)).add(get(3));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, concat(ascii("SERVER_ERROR connection timed out\r\n"), valueReply(3, values), ascii("END\r\n"))))
                .isTrue();
        assertThat(f.done).extracting(Request::error).containsExactly(ErrorKind.SERVER_ERROR, null);
    }

    @Test
    void garbageIsUnparseable() {
        String[] garbage = {"HELLO\r\n", "STORED\r\n", "VALUE t:1 0\r\n", "VALUE t:1 0 abc\r\n", "END\n",
            "VALUE t:1 0 -5\r\n"};
        for (String g : garbage) {
            Flight f = new Flight().add(get(1));
            MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
            assertThat(feed(p, ascii(g))).as(g).isFalse();
            assertThat(p.failure()).isNotBlank();
        }
        // a value longer than announced: the bytes after it are not CRLF
        Flight f = new Flight().add(get(1));
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        byte[] longer = concat(values.valueOf(1), ascii("xx"));
        byte[] reply = concat(ascii("VALUE t:1 0 100\r\n"), longer, ascii("\r\nEND\r\n"));
        assertThat(feed(p, reply)).isFalse();
        assertThat(p.failure()).contains("CRLF");
    }

    @Test
    void aReplyWithNothingInFlightOrAnEndlessLineIsUnparseable() {
        Flight f = new Flight();
        MemcacheReplyParser p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(feed(p, ascii("END\r\n"))).isFalse();
        assertThat(p.failure()).contains("no request in flight");

        f = new Flight().add(get(1));
        p = new MemcacheReplyParser(keys, values, f, false);
        assertThat(p.parse(Unpooled.wrappedBuffer(new byte[MemcacheReplyParser.MAX_LINE + 10]))).isFalse();
    }

    @Test
    void requestsAreEncodedAsTheTextProtocol() {
        MemcacheProtocol protocol = new MemcacheProtocol(keys, new ValueSpec(20, 1), false);
        ByteBuf out = Unpooled.buffer();
        protocol.encode(get(1, 22, 333), out, new byte[16]);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("get t:1 t:22 t:333\r\n");
        out.clear();
        protocol.encode(set(5), out, new byte[16]);
        String value = new String(new ValueSpec(20, 1).valueOf(5), StandardCharsets.US_ASCII);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("set t:5 0 0 20\r\n" + value + "\r\n");
        assertThat(value).startsWith("000000050001:");
    }
}
