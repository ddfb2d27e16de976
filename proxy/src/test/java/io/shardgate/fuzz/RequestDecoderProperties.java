package io.shardgate.fuzz;

import io.shardgate.protocol.ClientRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.protocol.ProxyProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The properties every request decoder must have on any input, checked through the protocol's public entry
 * points: {@code newRequestDecoder()} on an {@link EmbeddedChannel}, then {@code dispatch} to a
 * {@link RecordingClient} with one server.
 *
 * <ol>
 *   <li>No exception leaves the decoder or the dispatch, whatever the bytes.
 *   <li>Fed whole, one byte at a time, or split anywhere, the client sees the same events.
 *   <li>Every request sent to the server passes {@link RequestGrammar#checkSent}: one request a real server
 *       accepts, made of the client's bytes, sent as soon as its last byte arrived.
 *   <li>While the reference grammar reads the input as a sequence of requests, the events are exactly those:
 *       one forward (byte for byte) or one answer per request, nothing for ignored bytes.
 *   <li>Every buffer is released once the connection is closed.
 * </ol>
 */
final class RequestDecoderProperties {
    /** The position of events that happen once the connection closes. */
    static final int AT_CLOSE = -1;

    private final ProxyProtocol<?> protocol;
    private final RequestGrammar grammar;

    /** {@code protocol} is stateless apart from its settings: one instance serves every run. */
    RequestDecoderProperties(ProxyProtocol<?> protocol, RequestGrammar grammar) {
        this.protocol = protocol;
        this.grammar = grammar;
    }

    void check(byte[] input) {
        List<RecordingClient.Event> oneByOne = run(input, Feeds.oneByteAtATime(input));
        compare(input, "whole", oneByOne, run(input, Feeds.whole(input)));
        for (List<byte[]> feed : Feeds.splits(input)) compare(input, chunks(feed), oneByOne, run(input, feed));
        for (RecordingClient.Event e : oneByOne) {
            if (e.kind() != RecordingClient.Kind.SEND) continue;
            String problem = grammar.checkSent(input, e.at(), e.bytes());
            if (problem != null) {
                throw new AssertionError("sent " + Feeds.show(e.bytes()) + " after " + e.at() + " bytes of "
                        + Feeds.show(input) + ": " + problem);
            }
        }
        checkAgainstGrammar(input, oneByOne);
    }

    private void checkAgainstGrammar(byte[] input, List<RecordingClient.Event> all) {
        int during = 0;
        while (during < all.size() && all.get(during).at() != AT_CLOSE) during++;
        List<RecordingClient.Event> events = all.subList(0, during);
        int pos = 0;
        int e = 0;
        for (;;) {
            RequestGrammar.Next next = grammar.next(input, pos);
            if (next instanceof RequestGrammar.Unknown) return;
            if (next instanceof RequestGrammar.Ignored ignored) {
                pos += ignored.length();
                if (e < events.size() && events.get(e).at() <= pos) {
                    throw mismatch(input, events, pos, "nothing for ignored bytes, got " + events.get(e).describe());
                }
                continue;
            }
            int length = next instanceof RequestGrammar.Forward f ? f.length() : ((RequestGrammar.OneReply) next).length();
            int end = pos + length;
            String request = Feeds.show(input, pos, end);
            if (e >= events.size()) throw mismatch(input, events, end, "an event for " + request + ", got none");
            RecordingClient.Event event = events.get(e++);
            if (event.at() != end) {
                throw mismatch(input, events, end, "the event for " + request + " once its bytes are in, got "
                        + event.describe() + " after " + event.at());
            }
            if (next instanceof RequestGrammar.Forward) {
                if (event.kind() != RecordingClient.Kind.SEND || !RequestGrammar.endsAt(input, end, event.bytes())
                        || event.bytes().length != length) {
                    throw mismatch(input, events, end, request + " forwarded as sent, got " + event.describe());
                }
            } else if (event.kind() != RecordingClient.Kind.SEND && event.kind() != RecordingClient.Kind.REPLY) {
                throw mismatch(input, events, end, "one answer for " + request + ", got " + event.describe());
            }
            if (e < events.size() && events.get(e).kind() == RecordingClient.Kind.CLOSE) return; // e.g. QUIT
            if (e < events.size() && events.get(e).at() == end) {
                throw mismatch(input, events, end, "one event for " + request + ", got also " + events.get(e).describe());
            }
            pos = end;
        }
    }

    private static AssertionError mismatch(byte[] input, List<RecordingClient.Event> events, int at, String expected) {
        return new AssertionError("at byte " + at + " of " + Feeds.show(input) + " expected " + expected
                + "; all events: " + describe(events));
    }

    /** The client's events for one feeding, after which the connection closes and every buffer must be back. */
    List<RecordingClient.Event> run(byte[] input, List<byte[]> chunks) {
        ProxyProtocol<?> p = protocol;
        RecordingClient client = new RecordingClient();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(LiveBuffers.ALLOC);
        channel.pipeline().addLast(p.newRequestDecoder());
        try {
            for (byte[] chunk : chunks) {
                ByteBuf buf = LiveBuffers.ALLOC.directBuffer(chunk.length).writeBytes(chunk);
                channel.writeInbound(buf);
                client.fed += chunk.length;
                Object msg;
                while ((msg = channel.readInbound()) != null) p.serve((ClientRequest) msg, client);
            }
            client.fed = AT_CLOSE;
            channel.finish();
            Object msg;
            while ((msg = channel.readInbound()) != null) { // decoded at close: never served
                ((ClientRequest) msg).release();
                client.events.add(new RecordingClient.Event(RecordingClient.Kind.CLOSE, null, "decoded at close", client.fed));
            }
            client.failPending();
        } finally {
            channel.finishAndReleaseAll();
        }
        LiveBuffers.assertNoneLeft(() -> Feeds.show(input) + " fed as " + chunks.size() + " chunk(s)");
        return client.events;
    }

    private static List<String> describe(List<RecordingClient.Event> events) {
        List<String> out = new ArrayList<>(events.size());
        for (RecordingClient.Event e : events) out.add(e.describe());
        return out;
    }

    private static void compare(byte[] input, String feed, List<RecordingClient.Event> oneByOne,
            List<RecordingClient.Event> other) {
        boolean same = other.size() == oneByOne.size();
        for (int i = 0; same && i < other.size(); i++) same = other.get(i).sameAs(oneByOne.get(i));
        if (!same) {
            throw new AssertionError(Feeds.show(input) + " fed " + feed + " gave " + describe(other)
                    + " but one byte at a time gave " + describe(oneByOne));
        }
    }

    private static String chunks(List<byte[]> feed) {
        StringBuilder sb = new StringBuilder("in chunks of");
        for (byte[] c : feed) sb.append(' ').append(c.length);
        return sb.toString();
    }
}
