package dev.konductor.proxy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void clearsHostBitsAndTestsMembership() {
        Cidr cidr = Cidr.parse("10.100.7.9/12");
        assertThat(cidr).hasToString("10.96.0.0/12");
        assertThat(cidr.contains(IpLiterals.parse("10.111.255.254").orElseThrow())).isTrue();
        assertThat(cidr.contains(IpLiterals.parse("10.112.0.1").orElseThrow())).isFalse();
        assertThat(cidr.contains(IpLiterals.parse("fd00::1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("fd00:10:96::1/112")).hasToString("fd00:10:96:0:0:0:0:0/112");
    }

    @Test
    void refusesWhatIsNotACidr() {
        assertThatThrownBy(() -> Cidr.parse("10.96.0.0")).hasMessageContaining("address/prefix");
        assertThatThrownBy(() -> Cidr.parse("10.96.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("example.org/8")).hasMessageContaining("not an IP address");
    }
}
