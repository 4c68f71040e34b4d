package dev.konductor.apiserver.authz.bootstrap;

import static dev.konductor.apiserver.authz.PolicyRule.verbs;

import java.util.List;

/**
 * Upstream's roles for what every user may ask about the cluster and about themselves
 * (discovery, health and version, access reviews) and for delegating authentication, plus the
 * roles the certificate signing requests of joining nodes need.
 */
final class SystemRoles {

    private SystemRoles() {
    }

    static List<RoleSpec> all() {
        return List.of(
                RoleSpec.of("system:discovery",
                        verbs("get").urls("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                "/openapi/*", "/readyz", "/version", "/version/").rule()),
                RoleSpec.of("system:public-info-viewer",
                        verbs("get").urls("/healthz", "/livez", "/readyz", "/version", "/version/").rule()),
                RoleSpec.of("system:basic-user",
                        verbs("create").groups("authorization.k8s.io")
                                .resources("selfsubjectaccessreviews", "selfsubjectrulesreviews").rule(),
                        verbs("create").groups("authentication.k8s.io").resources("selfsubjectreviews").rule()),
                RoleSpec.of("system:monitoring",
                        verbs("get").urls("/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis",
                                "/readyz", "/readyz/*").rule()),
                RoleSpec.of("system:service-account-issuer-discovery",
                        verbs("get").urls("/.well-known/openid-configuration", "/openid/v1/jwks").rule()),
                RoleSpec.of("system:auth-delegator",
                        verbs("create").groups("authentication.k8s.io").resources("tokenreviews").rule(),
                        verbs("create").groups("authorization.k8s.io").resources("subjectaccessreviews").rule()),
                RoleSpec.of("system:node-bootstrapper",
                        verbs("create", "get", "list", "watch").groups("certificates.k8s.io")
                                .resources("certificatesigningrequests").rule()),
                RoleSpec.of("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                        verbs("create").groups("certificates.k8s.io")
                                .resources("certificatesigningrequests/nodeclient").rule()),
                RoleSpec.of("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                        verbs("create").groups("certificates.k8s.io")
                                .resources("certificatesigningrequests/selfnodeclient").rule()),
                signerApprover("kube-apiserver-client"),
                signerApprover("kube-apiserver-client-kubelet"),
                signerApprover("kubelet-serving"),
                signerApprover("legacy-unknown"));
    }

    private static RoleSpec signerApprover(String signer) {
        return RoleSpec.of("system:certificates.k8s.io:" + signer + "-approver",
                verbs("approve").groups("certificates.k8s.io").resources("signers")
                        .names("kubernetes.io/" + signer).rule());
    }
}
