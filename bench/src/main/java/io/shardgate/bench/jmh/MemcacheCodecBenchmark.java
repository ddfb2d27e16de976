package io.shardgate.bench.jmh;

import io.shardgate.protocol.ClientRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.shardgate.config.FailurePolicy;
import io.shardgate.protocol.PendingReplies;
import io.shardgate.protocol.memcache.MemcacheProtocol;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memcached codecs per request: the client-side request decoder (framing and validation) and the
 * backend-side reply framer, each fed a pipelined buffer of {@value #BATCH} messages as one read.
 *
 * <p>Run: {@code java -jar bench/target/shardgate-bench.jar ...} is the load generator; JMH runs with
 * {@code java -cp bench/target/shardgate-bench.jar org.openjdk.jmh.Main MemcacheCodec -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemcacheCodecBenchmark {
    static final int BATCH = 100;

    private final MemcacheProtocol protocol = new MemcacheProtocol(1024 * 1024, FailurePolicy.NUTCRACKER);
    private byte[] gets;
    private byte[] sets;
    private byte[] replies;
    private EmbeddedChannel decoder;
    private EmbeddedChannel framer;

    @Setup(Level.Trial)
    public void setup() {
        StringBuilder g = new StringBuilder();
        StringBuilder s = new StringBuilder();
        StringBuilder r = new StringBuilder();
        String value = "v".repeat(100);
        for (int i = 0; i < BATCH; i++) {
            g.append("get key:").append(i).append("\r\n");
            s.append("set key:").append(i).append(" 0 0 100\r\n").append(value).append("\r\n");
            r.append("VALUE key:").append(i).append(" 0 100\r\n").append(value).append("\r\nEND\r\n");
        }
        gets = g.toString().getBytes(StandardCharsets.US_ASCII);
        sets = s.toString().getBytes(StandardCharsets.US_ASCII);
        replies = r.toString().getBytes(StandardCharsets.US_ASCII);
        decoder = new EmbeddedChannel(protocol.newRequestDecoder());
        framer = new EmbeddedChannel(protocol.newReplyFramer(PendingReplies.NONE));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        framer.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int decodeGets() {
        return feed(decoder, gets);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int decodeSetsOf100Bytes() {
        return feed(decoder, sets);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int frameGetReplies() {
        return feed(framer, replies);
    }

    /** One read of {@code bytes}; returns how many messages came out, each released as the proxy would. */
    private static int feed(EmbeddedChannel channel, byte[] bytes) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        channel.writeInbound(buf);
        int n = 0;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            n++;
            release(msg);
        }
        return n;
    }

    private static void release(Object msg) {
        if (msg instanceof io.netty.util.ReferenceCounted) {
            ReferenceCountUtil.release(msg);
        } else {
            ((ClientRequest) msg).release(); // a decoded request: a slice of the read buffer and a pooled object
        }
    }
}
