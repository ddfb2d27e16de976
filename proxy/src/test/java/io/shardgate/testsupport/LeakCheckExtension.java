package io.shardgate.testsupport;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test class when Netty reports a leaked buffer after it ran. Registered for every class by autodetection. */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        if (!LeakDetection.isInstalled()) {
            throw new AssertionError("the leak detector was not installed before the tests ran");
        }
        List<String> leaks = LeakDetection.collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " leaked buffer(s) after " + context.getDisplayName() + ":\n"
                    + String.join("\n\n", leaks));
        }
    }
}
