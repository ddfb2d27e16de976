package io.shardgate.testsupport;

import java.util.ArrayList;
import java.util.List;

/** What a test started (servers, proxies), closed in reverse order when the test ends. */
public final class Started implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Registers {@code resource} to be closed and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) first = e;
            }
        }
        resources.clear();
        if (first != null) throw first;
    }
}
