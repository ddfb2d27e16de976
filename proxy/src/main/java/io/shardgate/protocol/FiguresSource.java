package io.shardgate.protocol;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Where a client connection gets its pool's {@link ProxyFigures} from. */
@FunctionalInterface
public interface FiguresSource {
    /** No figures: for sessions run without stats (tests, benchmarks). */
    FiguresSource NONE = (replyOn, then) -> replyOn.execute(() -> then.accept(null));

    /** Collects the figures without blocking the caller and calls {@code then} on {@code replyOn}, with null on failure. */
    void collect(Executor replyOn, Consumer<ProxyFigures> then);
}
