package dev.konductor.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised as the benchmark reports them. */
final class Latencies {

    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0..100) in milliseconds. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
    }
}
