package dev.konductor.api.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A resource quantity as quota arithmetic sees it: an exact value and whether it prints with
 * binary suffixes ({@code Mi}) or decimal ones ({@code m}, {@code k}). Prints in upstream's
 * canonical form, so {@code 512Mi + 512Mi} is {@code 1Gi} and {@code 250m + 250m} is {@code 500m}.
 */
public record Amount(BigDecimal value, boolean binary) implements Comparable<Amount> {

    public static final Amount ZERO = new Amount(BigDecimal.ZERO, false);
    public static final Amount ONE = new Amount(BigDecimal.ONE, false);

    private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    /** Parses {@code 500m}, {@code 1Gi}, {@code 2}; throws IllegalArgumentException when it is not a quantity. */
    public static Amount parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("not a quantity: " + text);
        }
        BigDecimal value;
        try {
            value = Quantity.getAmountInBytes(new Quantity(text.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a quantity: " + text, e);
        }
        return new Amount(value, text.trim().endsWith("i"));
    }

    public static Amount of(long n) {
        return new Amount(BigDecimal.valueOf(n), false);
    }

    /** The sum; a zero operand takes the other's format, as upstream's Quantity.Add does. */
    public Amount plus(Amount other) {
        boolean format = value.signum() == 0 ? other.binary : binary;
        return new Amount(value.add(other.value), format);
    }

    public Amount minus(Amount other) {
        return new Amount(value.subtract(other.value), binary);
    }

    public Amount max(Amount other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(Amount other) {
        return value.compareTo(other.value);
    }

    /** Equal values are equal amounts whatever their format. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Amount a && value.compareTo(a.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        if (binary && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && isInteger(value)) {
            BigInteger n = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY_SUFFIXES.length - 1 && n.mod(KI).signum() == 0) {
                n = n.divide(KI);
                power++;
            }
            return n + BINARY_SUFFIXES[power];
        }
        return decimal();
    }

    private String decimal() {
        // smallest unit is the nano; anything finer rounds up, as upstream does
        BigDecimal nanos = value.movePointRight(9).setScale(0, RoundingMode.CEILING);
        BigInteger n = nanos.toBigIntegerExact();
        int exponent = 0; // in thousands above nano
        BigInteger thousand = BigInteger.valueOf(1000);
        while (exponent < DECIMAL_SUFFIXES.length - 1 && n.mod(thousand).signum() == 0) {
            n = n.divide(thousand);
            exponent++;
        }
        return n + DECIMAL_SUFFIXES[exponent];
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0;
    }
}
