package io.shardgate.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Netty's leak reports into test failures. The factory must be installed before Netty's buffer classes
 * load, so {@link LeakDetectionSessionListener} installs it when the test launcher opens; {@link
 * LeakCheckExtension} asks for the reports after every test class.
 */
public final class LeakDetection {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    private LeakDetection() {}

    static synchronized void install() {
        if (installed) return;
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        installed = true;
    }

    public static boolean isInstalled() {
        return installed;
    }

    /** Collects garbage and returns the leaks reported since the last call. */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            ExternalServer.sleep(30);
            // The detector drains its queue of collected-but-unreleased buffers whenever it tracks a new one.
            for (int i = 0; i < 16; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                probe.release();
            }
        }
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    /** The leaks reported since the last call, without collecting garbage first (cheap enough for every fuzz input). */
    public static List<String> reportedLeaks() {
        synchronized (LEAKS) {
            if (LEAKS.isEmpty()) return List.of();
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
