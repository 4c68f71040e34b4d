package dev.konductor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every {@link Store} backend promises, run against each of them by a subclass. Each test
 * works under a prefix of its own, so backends may share one server between tests.
 */
public abstract class StoreContractTest {

    protected Store store;
    protected String prefix;

    /** A store for one test; closed after it. */
    protected abstract Store openStore() throws Exception;

    @BeforeEach
    void openStoreAndPickPrefix(TestInfo test) throws Exception {
        store = openStore();
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        prefix = "/registry/" + method + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- writes and revisions ---------------------------------------------------------------

    @Test
    void everyWriteIncrementsTheRevisionByOne() {
        long start = store.currentRevision();

        KeyValue created = written(store.create(k("a"), v("1")));
        KeyValue updated = written(store.update(k("a"), v("2"), created.modRevision()));
        KeyValue deleted = written(store.delete(k("a"), updated.modRevision()));

        assertThat(created.modRevision()).isEqualTo(start + 1);
        assertThat(created.createRevision()).isEqualTo(start + 1);
        assertThat(updated.modRevision()).isEqualTo(start + 2);
        assertThat(updated.createRevision()).isEqualTo(start + 1);
        assertThat(deleted.modRevision()).isEqualTo(start + 3);
        assertThat(store.currentRevision()).isEqualTo(start + 3).isPositive();
    }

    @Test
    void failedWritesDoNotMoveTheRevision() {
        KeyValue created = written(store.create(k("a"), v("1")));
        long before = store.currentRevision();

        conflict(store.create(k("a"), v("again")));
        conflict(store.update(k("a"), v("stale"), created.modRevision() - 1));
        conflict(store.delete(k("missing"), 0));

        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void createOfAnExistingKeyReturnsTheExistingValue() {
        KeyValue first = written(store.create(k("a"), v("first")));

        KeyValue current = conflict(store.create(k("a"), v("second")));

        assertThat(current).isEqualTo(first);
        assertThat(store.get(k("a")).valueAsString()).isEqualTo("first");
    }

    @Test
    void updateSucceedsOnlyAtTheCurrentModRevision() {
        KeyValue v1 = written(store.create(k("a"), v("1")));
        KeyValue v2 = written(store.update(k("a"), v("2"), v1.modRevision()));

        KeyValue current = conflict(store.update(k("a"), v("stale"), v1.modRevision()));
        KeyValue v3 = written(store.update(k("a"), v("3"), v2.modRevision()));

        assertThat(current).isEqualTo(v2);
        assertThat(v3.valueAsString()).isEqualTo("3");
        assertThat(store.get(k("a"))).isEqualTo(v3);
    }

    @Test
    void updateOfAMissingKeyIsAConflictWithoutValue() {
        assertThat(conflict(store.update(k("missing"), v("x"), 0))).isNull();
        assertThat(conflict(store.update(k("missing"), v("x"), 5))).isNull();
        assertThat(store.get(k("missing"))).isNull();
    }

    @Test
    void deleteSucceedsOnlyAtTheCurrentModRevisionAndReturnsTheDeletedValue() {
        KeyValue v1 = written(store.create(k("a"), v("1")));
        KeyValue v2 = written(store.update(k("a"), v("2"), v1.modRevision()));

        KeyValue current = conflict(store.delete(k("a"), v1.modRevision()));
        KeyValue deleted = written(store.delete(k("a"), v2.modRevision()));

        assertThat(current).isEqualTo(v2);
        assertThat(deleted.valueAsString()).isEqualTo("2");
        assertThat(deleted.createRevision()).isEqualTo(v1.createRevision());
        assertThat(deleted.modRevision()).isEqualTo(v2.modRevision() + 1).isEqualTo(store.currentRevision());
    }

    @Test
    void deleteWithoutExpectedRevisionDeletesWhateverIsThere() {
        KeyValue v1 = written(store.create(k("a"), v("1")));
        written(store.update(k("a"), v("2"), v1.modRevision()));

        assertThat(written(store.delete(k("a"), 0)).valueAsString()).isEqualTo("2");
        assertThat(store.get(k("a"))).isNull();
    }

    @Test
    void deleteOfAMissingKeyIsAConflictWithoutValue() {
        long before = store.currentRevision();

        assertThat(conflict(store.delete(k("missing"), 0))).isNull();
        assertThat(conflict(store.delete(k("missing"), 7))).isNull();
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void getAfterDeleteIsNull() {
        KeyValue created = written(store.create(k("a"), v("1")));
        written(store.delete(k("a"), created.modRevision()));

        assertThat(store.get(k("a"))).isNull();
        assertThat(store.get(k("never"))).isNull();
    }

    @Test
    void recreatingADeletedKeyStartsANewCreateRevision() {
        KeyValue first = written(store.create(k("a"), v("1")));
        written(store.delete(k("a"), 0));

        KeyValue second = written(store.create(k("a"), v("2")));

        assertThat(second.createRevision()).isEqualTo(second.modRevision()).isEqualTo(first.modRevision() + 2);
        assertThat(store.get(k("a"))).isEqualTo(second);
        KeyValue updated = written(store.update(k("a"), v("3"), second.modRevision()));
        assertThat(updated.createRevision()).isEqualTo(second.createRevision());
    }

    @Test
    void valuesRoundTripByteForByte() {
        byte[] value = new byte[4096];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        written(store.create(k("binary"), value));

        assertThat(store.get(k("binary")).value()).isEqualTo(value);
        assertThat(written(store.create(k("empty"), new byte[0])).value()).isEmpty();
        assertThat(store.get(k("empty")).value()).isEmpty();
    }

    // ---- range and count --------------------------------------------------------------------

    @Test
    void rangeReturnsOnlyKeysUnderThePrefixInKeyOrder() {
        for (String name : List.of("c", "a", "b")) {
            written(store.create(k(name), v(name)));
        }
        String sibling = prefix.substring(0, prefix.length() - 1) + "x/a";    // shares all but the last byte
        written(store.create(sibling, v("outside")));

        RangeResult all = store.range(prefix, null, 0, 0);

        assertThat(all.kvs()).extracting(KeyValue::key).containsExactly(k("a"), k("b"), k("c"));
        assertThat(all.more()).isFalse();
        assertThat(all.revision()).isEqualTo(store.currentRevision());
        assertThat(store.count(prefix)).isEqualTo(3);
    }

    @Test
    void rangeOrdersKeysByTheirUtf8Bytes() {
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; etcd and we do not.
        List<String> names = List.of("\uD83D\uDE00", "\uFFFD", "\u00E9", "z");
        for (String name : names) {
            written(store.create(k(name), v(name)));
        }

        assertThat(store.range(prefix, null, 0, 0).kvs()).extracting(KeyValue::key)
                .containsExactly(k("z"), k("\u00E9"), k("\uFFFD"), k("\uD83D\uDE00"));
    }

    @Test
    void pagedRangeAtAFixedRevisionSeesOneSnapshotDespiteLaterWrites() {
        List<KeyValue> original = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d", "e")) {
            original.add(written(store.create(k(name), v(name + "1"))));
        }

        RangeResult first = store.range(prefix, null, 0, 2);
        // Writes between pages: none of them may show up in later pages read at first.revision().
        written(store.update(k("c"), v("c2"), original.get(2).modRevision()));
        written(store.delete(k("d"), 0));
        written(store.create(k("bb"), v("new")));
        RangeResult second = store.range(prefix, nextKey(first), first.revision(), 2);
        RangeResult third = store.range(prefix, nextKey(second), second.revision(), 2);

        assertThat(first.kvs()).containsExactlyElementsOf(original.subList(0, 2));
        assertThat(first.more()).isTrue();
        assertThat(second.kvs()).containsExactlyElementsOf(original.subList(2, 4));
        assertThat(second.more()).isTrue();
        assertThat(second.revision()).isEqualTo(first.revision());
        assertThat(third.kvs()).containsExactly(original.get(4));
        assertThat(third.more()).isFalse();
    }

    @Test
    void rangeWithALimitCoveringEveryKeyHasNoMore() {
        written(store.create(k("a"), v("1")));
        written(store.create(k("b"), v("1")));

        RangeResult page = store.range(prefix, null, 0, 2);

        assertThat(page.kvs()).hasSize(2);
        assertThat(page.more()).isFalse();
    }

    @Test
    void rangeAtAnOldRevisionReturnsTheValuesOfThen() {
        KeyValue a1 = written(store.create(k("a"), v("1")));
        KeyValue b1 = written(store.create(k("b"), v("1")));
        long then = store.currentRevision();
        written(store.update(k("a"), v("2"), a1.modRevision()));
        written(store.delete(k("b"), b1.modRevision()));
        KeyValue c = written(store.create(k("c"), v("1")));

        assertThat(store.range(prefix, null, then, 0).kvs()).containsExactly(a1, b1);
        assertThat(store.range(prefix, null, 0, 0).kvs()).extracting(KeyValue::key).containsExactly(k("a"), k("c"));
        assertThat(store.range(prefix, null, 0, 0).kvs().getLast()).isEqualTo(c);
    }

    @Test
    void rangeAtACompactedRevisionFailsAndLiveKeysSurviveCompaction() {
        KeyValue untouched = written(store.create(k("untouched"), v("kept")));
        KeyValue a1 = written(store.create(k("a"), v("1")));
        KeyValue a2 = written(store.update(k("a"), v("2"), a1.modRevision()));
        written(store.create(k("gone"), v("x")));
        written(store.delete(k("gone"), 0));
        KeyValue a3 = written(store.update(k("a"), v("3"), a2.modRevision()));

        store.compact(a3.modRevision());

        assertThat(store.compactedRevision()).isEqualTo(a3.modRevision());
        assertThatThrownBy(() -> store.range(prefix, null, a1.modRevision(), 0)).isInstanceOf(CompactedException.class);
        assertThat(store.range(prefix, null, a3.modRevision(), 0).kvs()).containsExactly(a3, untouched);
        assertThat(store.range(prefix, null, 0, 0).kvs()).containsExactly(a3, untouched);
        assertThat(store.get(k("untouched"))).isEqualTo(untouched);
        assertThat(store.get(k("gone"))).isNull();
        KeyValue recreated = written(store.create(k("gone"), v("back")));
        assertThat(recreated.createRevision()).isEqualTo(a3.modRevision() + 1);
    }

    @Test
    void compactingAgainToAnOlderRevisionChangesNothing() {
        KeyValue a1 = written(store.create(k("a"), v("1")));
        KeyValue a2 = written(store.update(k("a"), v("2"), a1.modRevision()));
        store.compact(a2.modRevision());

        store.compact(a1.modRevision());

        assertThat(store.compactedRevision()).isEqualTo(a2.modRevision());
        assertThat(store.get(k("a"))).isEqualTo(a2);
    }

    @Test
    void rangeAtAFutureRevisionFails() {
        written(store.create(k("a"), v("1")));
        long future = store.currentRevision() + 10;

        assertThatThrownBy(() -> store.range(prefix, null, future, 0)).isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void countSeesOnlyLiveKeysUnderThePrefix() {
        for (String name : List.of("a", "b", "c")) {
            written(store.create(k(name), v(name)));
        }
        written(store.delete(k("b"), 0));
        written(store.create(prefix + "sub/d", v("d")));

        assertThat(store.count(prefix)).isEqualTo(3);
        assertThat(store.count(prefix + "sub/")).isEqualTo(1);
        assertThat(store.count(prefix + "nothing/")).isZero();
    }

    // ---- watch ------------------------------------------------------------------------------

    @Test
    void watchReplaysMissedEventsInOrderThenDeliversLiveOnes() throws Exception {
        KeyValue a1 = written(store.create(k("a"), v("1")));
        written(store.create(k("b"), v("1")));
        written(store.update(k("a"), v("2"), a1.modRevision()));
        written(store.delete(k("b"), 0));
        written(store.create("/elsewhere/" + prefix, v("not watched")));
        RecordingListener listener = new RecordingListener();

        try (Watch ignored = store.watch(prefix, a1.modRevision(), listener)) {
            List<WatchEvent> replayed = listener.awaitEvents(3);
            KeyValue c = written(store.create(k("c"), v("1")));
            List<WatchEvent> all = listener.awaitEvents(4);

            assertThat(replayed).extracting(e -> e.type() + " " + e.kv().key() + " " + e.revision()).containsExactly(
                    "PUT " + k("b") + " " + (a1.modRevision() + 1),
                    "PUT " + k("a") + " " + (a1.modRevision() + 2),
                    "DELETE " + k("b") + " " + (a1.modRevision() + 3));
            assertThat(all).hasSize(4);
            assertThat(all.getLast().kv()).isEqualTo(c);
            assertThat(all.getLast().isCreate()).isTrue();
            assertThat(listener.sawOverlappingCallbacks()).isFalse();
        }
    }

    @Test
    void watchReportsPreviousValuesForUpdatesAndDeletes() throws Exception {
        long start = store.currentRevision();
        KeyValue v1 = written(store.create(k("a"), v("1")));
        KeyValue v2 = written(store.update(k("a"), v("2"), v1.modRevision()));
        KeyValue deleted = written(store.delete(k("a"), v2.modRevision()));
        RecordingListener listener = new RecordingListener();

        try (Watch ignored = store.watch(prefix, start, listener)) {
            List<WatchEvent> events = listener.awaitEvents(3);

            assertThat(events.get(0)).isEqualTo(new WatchEvent(WatchEvent.Type.PUT, v1, null));
            assertThat(events.get(1)).isEqualTo(new WatchEvent(WatchEvent.Type.PUT, v2, v1));
            assertThat(events.get(2)).isEqualTo(new WatchEvent(WatchEvent.Type.DELETE, deleted, v2));
            assertThat(events.get(2).kv().valueAsString()).isEqualTo("2");
        }
    }

    @Test
    void watchFromBeforeTheCompactedRevisionFails() throws Exception {
        KeyValue a1 = written(store.create(k("a"), v("1")));
        KeyValue a2 = written(store.update(k("a"), v("2"), a1.modRevision()));
        KeyValue a3 = written(store.update(k("a"), v("3"), a2.modRevision()));
        store.compact(a3.modRevision());
        RecordingListener listener = new RecordingListener();

        StorageException error;
        try {
            try (Watch ignored = store.watch(prefix, a1.modRevision() - 1, listener)) {
                error = listener.awaitError();
            }
        } catch (CompactedException thrown) {
            error = thrown;
        }

        assertThat(error).isInstanceOf(CompactedException.class);
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void watchFromTheCompactedRevisionStillWorks() throws Exception {
        KeyValue a1 = written(store.create(k("a"), v("1")));
        KeyValue a2 = written(store.update(k("a"), v("2"), a1.modRevision()));
        KeyValue a3 = written(store.update(k("a"), v("3"), a2.modRevision()));
        store.compact(a3.modRevision());
        RecordingListener listener = new RecordingListener();

        try (Watch ignored = store.watch(prefix, a2.modRevision(), listener)) {
            assertThat(listener.awaitEvents(1)).extracting(WatchEvent::kv).containsExactly(a3);
        }
    }

    @Test
    void aClosedWatchDeliversNothingMore() throws Exception {
        RecordingListener closed = new RecordingListener();
        RecordingListener open = new RecordingListener();
        long start = store.currentRevision();
        Watch watch = store.watch(prefix, start, closed);
        written(store.create(k("before"), v("1")));
        closed.awaitEvents(1);

        watch.close();
        watch.close();   // idempotent
        try (Watch ignored = store.watch(prefix, start, open)) {
            written(store.create(k("after"), v("1")));
            open.awaitEvents(2);
        }

        assertThat(closed.events()).extracting(e -> e.kv().key()).containsExactly(k("before"));
    }

    @Test
    void watchReplaysALongHistoryCompletely() throws Exception {
        long start = store.currentRevision();
        List<Long> revisions = runConcurrently(8, 80, (thread, i) ->
                written(store.create(k("t" + thread + "-" + i), v("x"))).modRevision());
        RecordingListener listener = new RecordingListener();

        try (Watch ignored = store.watch(prefix, start, listener)) {
            List<WatchEvent> events = listener.awaitEvents(revisions.size());

            assertThat(events).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions.stream().sorted().toList());
        }
    }

    @Test
    void watchDeliversEveryEventOnceInOrderUnderConcurrentWriters() throws Exception {
        RecordingListener listener = new RecordingListener();
        long start = store.currentRevision();

        try (Watch ignored = store.watch(prefix, start, listener)) {
            List<Long> revisions = runConcurrently(8, 40, (thread, i) -> {
                KeyValue created = written(store.create(k("w" + thread + "-" + i), v("1")));
                return written(store.update(created.key(), v("2"), created.modRevision())).modRevision();
            });
            int expected = revisions.size() * 2;
            List<WatchEvent> events = listener.awaitEvents(expected);

            List<Long> seen = events.stream().map(WatchEvent::revision).toList();
            assertThat(seen).hasSize(expected).isSorted().doesNotHaveDuplicates();
            assertThat(seen).containsAll(revisions);
            assertThat(listener.sawOverlappingCallbacks()).isFalse();
        }
    }

    // ---- concurrency ------------------------------------------------------------------------

    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        written(store.create(k("counter"), v("0")));
        AtomicInteger conflicts = new AtomicInteger();

        List<Long> revisions = runConcurrently(20, 10, (thread, i) -> {
            while (true) {
                KeyValue current = store.get(k("counter"));
                int next = Integer.parseInt(current.valueAsString()) + 1;
                switch (store.update(k("counter"), v(Integer.toString(next)), current.modRevision())) {
                    case WriteResult.Written(KeyValue kv) -> {
                        return kv.modRevision();
                    }
                    case WriteResult.Conflict c -> conflicts.incrementAndGet();
                }
            }
        });

        assertThat(store.get(k("counter")).valueAsString()).isEqualTo(Integer.toString(revisions.size()));
        assertThat(revisions).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void concurrentCreatesGetUniqueConsecutiveRevisions() throws Exception {
        long start = store.currentRevision();

        List<Long> revisions = runConcurrently(16, 25, (thread, i) ->
                written(store.create(k("c" + thread + "-" + i), v("x"))).modRevision());

        assertThat(revisions).hasSize(400).doesNotHaveDuplicates().allMatch(r -> r > start);
        assertThat(store.currentRevision()).isEqualTo(start + 400);
        assertThat(store.count(prefix)).isEqualTo(400);
    }

    @Test
    void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        List<Long> outcomes = runConcurrently(10, 1, (thread, i) ->
                store.create(k("contended"), v("t" + thread)) instanceof WriteResult.Written w ? w.kv().modRevision() : -1L);

        assertThat(outcomes.stream().filter(r -> r > 0)).hasSize(1);
        assertThat(store.get(k("contended")).modRevision()).isEqualTo(outcomes.stream().mapToLong(r -> r).max().orElseThrow());
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected String k(String name) {
        return prefix + name;
    }

    protected static byte[] v(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    protected static KeyValue written(WriteResult result) {
        if (result instanceof WriteResult.Written(KeyValue kv)) {
            return kv;
        }
        return fail("expected the write to succeed, got " + result);
    }

    protected static KeyValue conflict(WriteResult result) {
        if (result instanceof WriteResult.Conflict(KeyValue current)) {
            return current;
        }
        return fail("expected a conflict, got " + result);
    }

    /** The start key of the page after {@code page}: the smallest key after its last one. */
    private static String nextKey(RangeResult page) {
        return page.kvs().getLast().key() + "\0";
    }

    @FunctionalInterface
    protected interface Step {
        long run(int thread, int iteration) throws Exception;
    }

    /** Runs {@code step} {@code iterations} times on each of {@code threads} threads; returns every result. */
    protected static List<Long> runConcurrently(int threads, int iterations, Step step) throws Exception {
        ConcurrentLinkedQueue<Long> results = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Void> work = () -> {
                    for (int i = 0; i < iterations; i++) {
                        results.add(step.run(thread, i));
                    }
                    return null;
                };
                futures.add(pool.submit(work));
            }
            for (Future<Void> future : futures) {
                future.get();
            }
        }
        return List.copyOf(results);
    }
}
