package io.shardgate.stats;

/** Reads, on the worker's thread, what one pool's server links hold while they connect (in_queue). */
public interface HeldSource {
    /** Adds to {@code into} the requests held for server {@code server} of the pool by every link to it. */
    void countHeld(int server, HeldQueue into);
}
