package dev.konductor.server.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Who a client certificate names, as the API server reads it: the CN and the O entries. */
record CertificateSubject(String commonName, List<String> organizations) {

    static CertificateSubject of(X509Certificate certificate) {
        String commonName = "";
        List<String> organizations = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    commonName = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    organizations.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return new CertificateSubject("", List.of());
        }
        return new CertificateSubject(commonName, List.copyOf(organizations));
    }

    boolean names(ClientIdentity identity) {
        return commonName.equals(identity.user())
                && new HashSet<>(organizations).equals(new HashSet<>(identity.groups()));
    }
}
