package dev.konductor.api.validation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a CronJob schedule against the standard five-field cron syntax and the {@code @hourly}
 * style descriptors, with the error messages of the cron library upstream uses (robfig/cron v3),
 * which CronJob validation passes through to clients.
 */
final class CronSchedule {

    private record Bounds(int min, int max, List<String> names) {
    }

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final List<Bounds> FIELDS = List.of(
            new Bounds(0, 59, List.of()), new Bounds(0, 23, List.of()), new Bounds(1, 31, List.of()),
            new Bounds(1, 12, MONTHS), new Bounds(0, 6, DAYS));
    private static final List<String> DESCRIPTORS =
            List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    private static final Pattern DURATION = Pattern.compile("([0-9]*(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+");

    private CronSchedule() {
    }

    /** The problem with {@code spec}, in the cron library's words, or empty when it parses. */
    static Optional<String> problem(String spec) {
        if (spec.isEmpty()) {
            return Optional.of("empty spec string");
        }
        if (spec.startsWith("@")) {
            return descriptor(spec);
        }
        String[] fields = spec.trim().split("\\s+");
        if (fields.length != FIELDS.size()) {
            return Optional.of("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]");
        }
        for (int i = 0; i < fields.length; i++) {
            for (String range : fields[i].split(",", -1)) {
                Optional<String> p = range(range, FIELDS.get(i));
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> descriptor(String spec) {
        if (DESCRIPTORS.contains(spec)) {
            return Optional.empty();
        }
        if (spec.startsWith("@every ")) {
            String d = spec.substring("@every ".length());
            return DURATION.matcher(d).matches() ? Optional.empty()
                    : Optional.of("failed to parse duration " + d + ": time: invalid duration \"" + d + "\"");
        }
        return Optional.of("unrecognized descriptor: " + spec);
    }

    private static Optional<String> range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        long start;
        long end;
        try {
            if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
                start = b.min();
                end = b.max();
            } else {
                start = intOrName(lowAndHigh[0], b);
                switch (lowAndHigh.length) {
                    case 1 -> end = start;
                    case 2 -> end = intOrName(lowAndHigh[1], b);
                    default -> {
                        return Optional.of("too many hyphens: " + expr);
                    }
                }
            }
            long step = 1;
            switch (rangeAndStep.length) {
                case 1 -> { }
                case 2 -> {
                    step = number(rangeAndStep[1]);
                    // "N/step" means "from N to the maximum, every step".
                    if (lowAndHigh.length == 1) {
                        end = b.max();
                    }
                }
                default -> {
                    return Optional.of("too many slashes: " + expr);
                }
            }
            if (start < b.min()) {
                return Optional.of("beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr);
            }
            if (end > b.max()) {
                return Optional.of("end of range (" + end + ") above maximum (" + b.max() + "): " + expr);
            }
            if (start > end) {
                return Optional.of("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
            }
            if (step == 0) {
                return Optional.of("step of range should be a positive number: " + expr);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static long intOrName(String expr, Bounds b) {
        int named = b.names().indexOf(expr.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + (b.names() == MONTHS ? 1 : 0);
        }
        return number(expr);
    }

    private static long number(String expr) {
        Matcher m = Pattern.compile("[+-]?[0-9]+").matcher(expr);
        if (!m.matches()) {
            throw new IllegalArgumentException("failed to parse int from " + expr + ": strconv.Atoi: parsing \""
                    + expr + "\": invalid syntax");
        }
        long n = Long.parseLong(expr);
        if (n < 0) {
            throw new IllegalArgumentException("negative number (" + n + ") not allowed: " + expr);
        }
        return n;
    }
}
