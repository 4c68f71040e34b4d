package dev.konductor.apiserver.crd;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's ordering of API versions by stability: GA versions first (v2 before v1), then betas,
 * then alphas (each by major, then by minor number, newest first), then anything else
 * alphabetically. Discovery lists a group's versions in this order; the first is preferred.
 */
final class VersionPriority implements Comparator<String> {

    static final VersionPriority INSTANCE = new VersionPriority();

    private static final Pattern KUBE_VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

    private VersionPriority() {
    }

    @Override
    public int compare(String a, String b) {
        Rank ra = rank(a);
        Rank rb = rank(b);
        if (ra.stability() != rb.stability()) {
            return Integer.compare(ra.stability(), rb.stability());
        }
        if (ra.stability() == OTHER) {
            return a.compareTo(b);
        }
        if (ra.major() != rb.major()) {
            return Long.compare(rb.major(), ra.major());
        }
        return Long.compare(rb.minor(), ra.minor());
    }

    private static final int GA = 0;
    private static final int BETA = 1;
    private static final int ALPHA = 2;
    private static final int OTHER = 3;

    private record Rank(int stability, long major, long minor) {
    }

    private static Rank rank(String version) {
        Matcher m = KUBE_VERSION.matcher(version);
        if (!m.matches()) {
            return new Rank(OTHER, 0, 0);
        }
        long major = parse(m.group(1));
        if (m.group(2) == null) {
            return new Rank(GA, major, 0);
        }
        return new Rank(m.group(2).equals("beta") ? BETA : ALPHA, major, parse(m.group(3)));
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
