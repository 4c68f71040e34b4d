package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.AuthenticationReviews;
import dev.konductor.apiserver.authz.review.AccessReviews;

/**
 * The reviews, which are created (answered) and never stored: TokenReview and SelfSubjectReview
 * (authentication.k8s.io), and the access reviews (authorization.k8s.io).
 */
final class ReviewHandler {

    private final AuthenticationReviews authentication;
    private final AccessReviews access;
    private final BodyDecoder decoder;
    private final Responses responses;

    ReviewHandler(AuthenticationReviews authentication, AccessReviews access, BodyDecoder decoder,
                  Responses responses) {
        this.authentication = authentication;
        this.access = access;
        this.decoder = decoder;
        this.responses = responses;
    }

    static boolean handles(RequestContext ctx) {
        String group = ctx.type().group();
        return group.equals("authentication.k8s.io") || group.equals(AccessReviews.GROUP);
    }

    void handle(RequestContext ctx) {
        if (ctx.name() != null || !ctx.exchange().method().equals("POST")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode request = decoder.object(ctx.exchange());
        ObjectWriter.checkTypeMeta(ctx.type(), request);
        ObjectNode answer = switch (ctx.type().kind()) {
            case "TokenReview" -> authentication.tokenReview(request);
            case "SelfSubjectReview" -> AuthenticationReviews.selfSubjectReview(request, ctx.user());
            default -> access.answer(ctx.type().kind(), request, ctx.user(), ctx.namespace());
        };
        responses.json(ctx.exchange(), 201, answer);
    }
}
