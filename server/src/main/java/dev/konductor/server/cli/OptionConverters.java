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
}
