package dev.konductor.apiserver.printers;

import java.time.Duration;

/**
 * Durations the way {@code kubectl get} shows them in AGE-like columns: two or three significant
 * figures, switching units as the value grows ({@code 45s}, {@code 3m20s}, {@code 10m},
 * {@code 5h4m}, {@code 2d3h}, {@code 45d}, {@code 3y120d}). The thresholds are upstream's
 * {@code duration.HumanDuration}, so columns read the same as against any other cluster.
 */
public final class Durations {

    private Durations() {
    }

    public static String human(Duration d) {
        // Go converts with int(d.Seconds()), which truncates toward zero: -1.5s counts as -1s.
        long seconds = d.getSeconds() < 0 && d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
        // a clock up to 2s behind the object's is tolerated as "now"
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = hours / 24 % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
