package io.shardgate.stats;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as the status page shows it: the Java heap, Netty's direct memory, the resident set. */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    static StatusReport.Memory read() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new StatusReport.Memory(heap.getUsed(), heap.getCommitted(), heap.getMax(), directBytes(),
                PlatformDependent.maxDirectMemory(), residentBytes());
    }

    /** Netty's count of the direct memory it reserved or, when it does not count (-1), the JVM's direct pool. */
    static Long directBytes() {
        long netty = PlatformDependent.usedDirectMemory();
        if (netty >= 0) return netty;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) return pool.getMemoryUsed();
        }
        return null;
    }

    /** VmRSS from /proc (Linux), or null elsewhere. */
    static Long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no figure
        }
        return null;
    }
}
