package dev.konductor.api.validation;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob schedule: the standard five-field cron syntax and the {@code @hourly} style
 * descriptors, checked with the error messages of the cron library upstream uses (robfig/cron
 * v3), which CronJob validation passes through to clients, and evaluated as that library does
 * ({@link #next}) for the CronJob controller.
 */
public final class CronSchedule {

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

    private static final Map<String, String> DESCRIPTOR_SPECS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    /** How far ahead {@link #next} looks before deciding a schedule never fires (e.g. 30 February). */
    private static final int YEARS_AHEAD = 5;

    /** Allowed values per field: minute, hour, day of month, month, day of week. */
    private final BitSet[] allowed;
    /** Whether day of month / day of week was written as {@code *} or {@code ?} (no step). */
    private final boolean domStar;
    private final boolean dowStar;
    /** For {@code @every <duration>}: the fixed interval; null for calendar schedules. */
    private final Duration every;

    private CronSchedule(BitSet[] allowed, boolean domStar, boolean dowStar, Duration every) {
        this.allowed = allowed;
        this.domStar = domStar;
        this.dowStar = dowStar;
        this.every = every;
    }

    /** Parses {@code spec}; throws IllegalArgumentException with the cron library's message if it is invalid. */
    public static CronSchedule parse(String spec) {
        Optional<String> problem = problem(spec);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        if (spec.startsWith("@every ")) {
            return new CronSchedule(null, false, false, goDuration(spec.substring("@every ".length())));
        }
        String expanded = spec.startsWith("@") ? DESCRIPTOR_SPECS.get(spec) : spec.trim();
        String[] fields = expanded.split("\\s+");
        BitSet[] allowed = new BitSet[FIELDS.size()];
        for (int i = 0; i < fields.length; i++) {
            allowed[i] = new BitSet();
            for (String range : fields[i].split(",", -1)) {
                addRange(allowed[i], range, FIELDS.get(i));
            }
        }
        return new CronSchedule(allowed, isStar(fields[2]), isStar(fields[4]), null);
    }

    /**
     * The first activation strictly after {@code after}, in {@code after}'s time zone; empty when
     * there is none within five years.
     */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        if (every != null) {
            // the library rounds the interval to whole seconds (at least one) and drops sub-second time
            long seconds = Math.max(1, every.toSeconds());
            return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds));
        }
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + YEARS_AHEAD;
        outer:
        while (t.getYear() <= lastYear) {
            while (!allowed[3].get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                if (t.getMonthValue() == 1) {
                    continue outer;
                }
            }
            while (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                if (t.getDayOfMonth() == 1) {
                    continue outer;
                }
            }
            while (!allowed[1].get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                if (t.getHour() == 0) {
                    continue outer;
                }
            }
            while (!allowed[0].get(t.getMinute())) {
                t = t.plusMinutes(1);
                if (t.getMinute() == 0) {
                    continue outer;
                }
            }
            return Optional.of(t);
        }
        return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = allowed[2].get(t.getDayOfMonth());
        boolean dow = allowed[4].get(t.getDayOfWeek().getValue() % 7);
        // as in cron: when both are restricted, either may match
        return domStar || dowStar ? dom && dow : dom || dow;
    }

    private static boolean isStar(String field) {
        return (field.startsWith("*") || field.startsWith("?")) && !field.matches(".*/([2-9]|\\d{2,}).*");
    }

    private static void addRange(BitSet bits, String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min();
            end = b.max();
        } else {
            start = intOrName(lowAndHigh[0], b);
            end = lowAndHigh.length == 2 ? intOrName(lowAndHigh[1], b) : start;
        }
        long step = 1;
        if (rangeAndStep.length == 2) {
            step = number(rangeAndStep[1]);
            if (lowAndHigh.length == 1) {
                end = b.max();
            }
        }
        for (long v = start; v <= end; v += step) {
            bits.set((int) v);
        }
    }

    private static Duration goDuration(String text) {
        Matcher m = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)").matcher(text);
        double nanos = 0;
        while (m.find()) {
            double value = m.group(1).isEmpty() ? 0 : Double.parseDouble(m.group(1));
            nanos += value * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1_000;
                case "ms" -> 1_000_000;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
        }
        return Duration.ofNanos((long) nanos);
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
