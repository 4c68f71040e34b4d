package dev.konductor.store.sqlite;

import dev.konductor.store.Store;
import dev.konductor.store.WriteResult;
import dev.konductor.store.etcd.EtcdProcess;
import dev.konductor.store.etcd.EtcdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throughput probe for durable creates: {@code writers} threads create distinct keys with
 * values of {@code valueBytes} for {@code seconds}, then it prints creates per second and latency
 * percentiles. Not a test; run it by hand:
 *
 * <pre>
 * java -cp "store/target/classes:store/target/test-classes:$DEPS" \
 *     dev.konductor.store.sqlite.SqliteStoreLoad [sqlite|etcd] [seconds=5] [writers=50] [valueBytes=1024]
 * </pre>
 *
 * {@code etcd} starts a local etcd (see {@link EtcdProcess}) in a temporary directory.
 */
public final class SqliteStoreLoad {

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    public static void main(String[] args) throws Exception {
        String backend = args.length > 0 ? args[0] : "sqlite";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        Path dir = Files.createTempDirectory("konductor-store-load");
        try {
            if (backend.equals("etcd")) {
                try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
                     Store store = EtcdStore.connect(List.of(etcd.endpoint()))) {
                    run("etcd", store, seconds, writers, valueBytes);
                }
            } else {
                try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
                    run("sqlite", store, seconds, writers, valueBytes);
                }
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void run(String name, Store store, int seconds, int writers, int valueBytes) throws Exception {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[writers];
        for (int w = 0; w < writers; w++) {
            long[] samples = new long[2_000_000 / writers + 1024];
            latencies.add(samples);
            int writer = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    long start = System.nanoTime();
                    WriteResult result = store.create("/load/w" + writer + "/" + i, value);
                    long elapsed = System.nanoTime() - start;
                    if (!(result instanceof WriteResult.Written)) {
                        throw new IllegalStateException("unexpected " + result);
                    }
                    if (measuring.get() && counts[writer] < samples.length) {
                        samples[counts[writer]++] = elapsed;
                    }
                }
            }));
        }
        Thread.sleep(WARM_UP);
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds));
        measuring.set(false);
        long took = System.nanoTime() - begin;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        report(name, writers, valueBytes, took, latencies, counts);
    }

    private static void report(String name, int writers, int valueBytes, long tookNanos, List<long[]> latencies,
                               int[] counts) {
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < counts.length; w++) {
            System.arraycopy(latencies.get(w), 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        System.out.printf("%s: %d writers, %d-byte values: %.0f durable creates/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d creates)%n",
                name, writers, valueBytes, total / (tookNanos / 1e9), millis(all, 0.50), millis(all, 0.99),
                all.length == 0 ? 0.0 : all[all.length - 1] / 1e6, total);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
