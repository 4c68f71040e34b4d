package dev.konductor.kubelet.pods;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations written as Go's {@code time.Duration.String()} writes them ({@code 1m20s}, {@code 1.5s}, {@code 300ms}), as upstream's messages show them. */
public final class GoDurations {

    private GoDurations() {
    }

    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        boolean negative = d.isNegative();
        Duration a = d.abs();
        String out;
        if (a.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = a.toNanos();
            if (nanos < 1_000) {
                out = nanos + "ns";
            } else if (nanos < 1_000_000) {
                out = decimal(nanos, 3) + "µs";
            } else {
                out = decimal(nanos, 6) + "ms";
            }
        } else {
            long hours = a.toHours();
            long minutes = a.toMinutesPart();
            String seconds = decimal(a.toSecondsPart() * 1_000_000_000L + a.toNanosPart(), 9) + "s";
            if (hours > 0) {
                out = hours + "h" + minutes + "m" + seconds;
            } else if (minutes > 0) {
                out = minutes + "m" + seconds;
            } else {
                out = seconds;
            }
        }
        return negative ? "-" + out : out;
    }

    private static String decimal(long value, int scale) {
        return new BigDecimal(value).movePointLeft(scale).stripTrailingZeros().toPlainString();
    }
}
