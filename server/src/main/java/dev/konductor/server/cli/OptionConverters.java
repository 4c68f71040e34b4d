package dev.konductor.server.cli;

import dev.konductor.server.net.Cidr;
import java.net.InetAddress;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of option values that picocli cannot do alone, each failing with what was expected. */
final class OptionConverters {

    private OptionConverters() {
    }

    /** An IP address literal; host names are refused so that starting never waits on DNS. */
    static final class IpAddress implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return InetAddress.ofLiteral(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not an IP address");
            }
        }
    }

    static final class ServiceCidr implements ITypeConverter<Cidr> {
        @Override
        public Cidr convert(String value) {
            try {
                Cidr cidr = Cidr.parse(value);
                cidr.firstHost();
                return cidr;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code sqlite}, or {@code etcd://} and a comma-separated list of {@code host:port}. */
    static final class Datastore implements ITypeConverter<String> {
        private static final Pattern ETCD = Pattern.compile(
                "etcd://(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):\\d{1,5}(,(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):\\d{1,5})*");

        @Override
        public String convert(String value) {
            if (value.equals("sqlite") || ETCD.matcher(value).matches()) {
                return value;
            }
            throw new TypeConversionException("'" + value + "' is not a datastore: use sqlite or etcd://host:port[,host:port...]");
        }
    }

    /** A duration as Go and kubectl write them: {@code 500ms}, {@code 15s}, {@code 1m30s}, {@code 0}. */
    static final class GoDuration implements ITypeConverter<java.time.Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public java.time.Duration convert(String value) {
            if (value.equals("0")) {
                return java.time.Duration.ZERO;
            }
            java.util.regex.Matcher m = PART.matcher(value);
            java.time.Duration total = java.time.Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(n);
                    case "s" -> java.time.Duration.ofSeconds(n);
                    case "m" -> java.time.Duration.ofMinutes(n);
                    default -> java.time.Duration.ofHours(n);
                });
                end = m.end();
            }
            if (end == 0 || end != value.length()) {
                throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 15s, 5m or 1m30s");
            }
            return total;
        }
    }
}
