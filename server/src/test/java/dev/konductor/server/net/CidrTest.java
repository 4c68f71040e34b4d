package dev.konductor.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.96.0.0/12, 10.96.0.1",
            "10.100.7.3/12, 10.96.0.1",   // host bits are cleared, as upstream does
            "172.20.0.0/16, 172.20.0.1",
            "10.0.0.255/24, 10.0.0.1",
            "fd00:10:96::/112, fd00:10:96::1",
    })
    void firstHostIsTheKubernetesServiceAddress(String cidr, String firstHost) {
        assertThat(Cidr.parse(cidr).firstHost()).isEqualTo(InetAddress.ofLiteral(firstHost));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.96.0.0", "10.96.0.0/33", "10.96.0.0/x", "example.com/12", "fd00::/129"})
    void rejectsWhatIsNotACidr(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/32", "10.0.0.0/31"})
    void rejectsRangesWithoutRoomForAHost(String text) {
        assertThatThrownBy(() -> Cidr.parse(text).firstHost()).hasMessageContaining("no room for a host address");
    }

    @ParameterizedTest
    @CsvSource({"10.96.0.0/12, 10.111.255.254, true", "10.96.0.0/12, 10.112.0.0, false", "10.96.0.0/12, ::1, false"})
    void containsChecksTheNetworkPart(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(InetAddress.ofLiteral(address))).isEqualTo(contained);
    }
}
