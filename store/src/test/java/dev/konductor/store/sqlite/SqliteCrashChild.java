package dev.konductor.store.sqlite;

import dev.konductor.store.WriteResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link SqliteStoreDurabilityTest} kills: it creates keys from several threads until
 * it dies, printing {@code ACK <key>} to stdout after each create returns (is acknowledged).
 *
 * <p>Arguments: the database file, then the number of writer threads.
 */
public final class SqliteCrashChild {

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        byte[] value = new byte[1024];
        SqliteStore store = SqliteStore.open(file);
        System.out.println("READY");
        System.out.flush();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    String key = "/crash/t" + thread + "/" + i;
                    if (store.create(key, value) instanceof WriteResult.Written) {
                        synchronized (System.out) {
                            System.out.println("ACK " + key);
                            System.out.flush();
                        }
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }
}
