package dev.konductor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WatchDeliveryTest {

    @Test
    void replaysHistoryThenDropsLiveEventsItAlreadyDelivered() throws Exception {
        RecordingListener listener = new RecordingListener();
        FakeLog log = new FakeLog();
        log.append(1, 2, 3);
        WatchDelivery delivery = WatchDelivery.create("/", 0, listener, log, 100, closed -> { });
        // Live events racing with the replay: 2 and 3 are in the history as well.
        delivery.offer(events(2, 3, 4));
        delivery.start();

        assertThat(revisions(listener.awaitEvents(4))).containsExactly(1L, 2L, 3L, 4L);
        delivery.close();
    }

    @Test
    void aListenerTooFarBehindCatchesUpFromHistoryWithoutGaps() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        List<WatchEvent> received = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        WatchListener slow = new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                stuck.countDown();
                await(release);
                synchronized (received) {
                    received.addAll(events);
                    if (received.getLast().revision() == 50) {
                        all.countDown();
                    }
                }
            }

            @Override
            public void onError(StorageException error) {
            }
        };
        FakeLog log = new FakeLog();
        WatchDelivery delivery = WatchDelivery.create("/", 0, slow, log, 5, closed -> { });
        delivery.start();
        log.append(1);
        delivery.offer(events(1));
        // Once the listener is stuck on revision 1, the rest can only come from a second replay:
        // the burst overflows the queue of 5 and its live events are dropped. (Offered before the
        // listener first ran, all 50 could come with the first replay, and the second would still
        // be pending when revision 50 arrives.)
        assertThat(stuck.await(20, TimeUnit.SECONDS)).isTrue();
        for (long revision = 2; revision <= 50; revision++) {
            log.append(revision);
            delivery.offer(events(revision));
        }
        release.countDown();

        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        synchronized (received) {
            assertThat(revisions(received)).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        }
        assertThat(log.replays()).isGreaterThan(1);
        delivery.close();
    }

    @Test
    void withoutHistoryAListenerTooFarBehindGetsAnError() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener recorder = new RecordingListener();
        WatchListener slow = new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                await(release);
                recorder.onEvents(events);
            }

            @Override
            public void onError(StorageException error) {
                recorder.onError(error);
            }
        };
        List<WatchDelivery> released = new ArrayList<>();
        WatchDelivery delivery = WatchDelivery.create("/", 0, slow, null, 5, released::add).start();
        for (long revision = 1; revision <= 20; revision++) {
            delivery.offer(events(revision));
        }
        release.countDown();

        assertThat(recorder.awaitError()).hasMessageContaining("fell more than 5 events behind");
        assertThat(delivery.isDone()).isTrue();
        assertThat(released).containsExactly(delivery);
    }

    @Test
    void eventsOfOneMultiKeyTransactionShareARevisionAndAreAllDelivered() throws Exception {
        RecordingListener listener = new RecordingListener();
        WatchDelivery delivery = WatchDelivery.create("/", 0, listener, null, 100, closed -> { }).start();

        delivery.offer(List.of(event("/a", 1), event("/b", 1)));
        delivery.offer(List.of(event("/b", 1), event("/c", 2)));   // a resumed stream repeating revision 1

        assertThat(listener.awaitEvents(3)).extracting(e -> e.kv().key()).containsExactly("/a", "/b", "/c");
        delivery.close();
    }

    @Test
    void aThrowingListenerEndsItsWatchWithAnError() throws Exception {
        RecordingListener recorder = new RecordingListener();
        WatchListener broken = new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void onError(StorageException error) {
                recorder.onError(error);
            }
        };
        WatchDelivery delivery = WatchDelivery.create("/", 0, broken, null, 100, closed -> { }).start();

        delivery.offer(events(1));

        assertThat(recorder.awaitError()).hasMessageContaining("listener failed");
    }

    /** An append-only history, as a backend's log would be. */
    private static final class FakeLog implements WatchDelivery.History {
        private final List<WatchEvent> events = new ArrayList<>();
        private int replays;

        synchronized void append(long... revisions) {
            events.addAll(events(revisions));
        }

        synchronized int replays() {
            return replays;
        }

        @Override
        public long replay(long afterRevision, Consumer<List<WatchEvent>> sink) {
            List<WatchEvent> after;
            long complete;
            synchronized (this) {
                replays++;
                after = events.stream().filter(e -> e.revision() > afterRevision).toList();
                complete = events.isEmpty() ? afterRevision : events.getLast().revision();
            }
            sink.accept(after);    // outside the lock: the listener may block while the log grows
            return complete;
        }
    }

    private static List<WatchEvent> events(long... revisions) {
        return LongStream.of(revisions).mapToObj(r -> event("/k" + r, r)).toList();
    }

    private static WatchEvent event(String key, long revision) {
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, new byte[0], revision, revision), null);
    }

    private static List<Long> revisions(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::revision).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
