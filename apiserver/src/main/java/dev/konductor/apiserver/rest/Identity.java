package dev.konductor.apiserver.rest;

import dev.konductor.apiserver.authn.RequestAuthenticator;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.serviceaccount.IssuerDiscovery;
import dev.konductor.apiserver.serviceaccount.TokenRequests;

/**
 * The REST layer's view of identity: who a request comes from, what they may do, how service
 * account tokens are issued, and the issuer's public discovery documents.
 */
public record Identity(RequestAuthenticator authenticator, Authorizer authorizer, TokenRequests tokenRequests,
                       IssuerDiscovery issuer) {
}
