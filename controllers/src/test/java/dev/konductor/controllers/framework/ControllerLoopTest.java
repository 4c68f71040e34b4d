package dev.konductor.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerLoopTest {

    @Test
    void workersTakeNoKeyUntilTheCachesHaveSynced() {
        AtomicBoolean synced = new AtomicBoolean();
        AtomicInteger asked = new AtomicInteger();
        List<String> reconciled = new CopyOnWriteArrayList<>();
        try (ControllerLoop loop = new ControllerLoop("gated", key -> {
            reconciled.add(key + (synced.get() ? "" : " before the caches synced"));
            return Reconciler.Result.done();
        }, 2)) {
            loop.enqueue("default/web");
            loop.start(() -> {
                asked.incrementAndGet();
                return synced.get();
            });

            // each worker asks once before it would take a key, and again only after waiting
            Await.until("the workers wait for the caches", () -> asked.get() >= 4);
            assertThat(reconciled).isEmpty();

            synced.set(true);
            Await.until("the queued key is reconciled once the caches have synced", () -> !reconciled.isEmpty());
            assertThat(reconciled).containsExactly("default/web");
        }
    }
}
