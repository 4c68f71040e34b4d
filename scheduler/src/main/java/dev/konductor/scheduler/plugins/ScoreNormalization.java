package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.Plugin;

/** Upstream's DefaultNormalizeScore: scale by the highest score to 0..100, optionally reversed. */
final class ScoreNormalization {

    private ScoreNormalization() {
    }

    static void byMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        if (max == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, Plugin.Score.MAX_NODE_SCORE);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = Plugin.Score.MAX_NODE_SCORE * scores[i] / max;
            scores[i] = reverse ? Plugin.Score.MAX_NODE_SCORE - s : s;
        }
    }
}
