package dev.konductor.apiserver.authz.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.authz.UserRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authorization.k8s.io/v1 reviews, answered by the same authorizers as every request and
 * never stored: SubjectAccessReview (may this user do this?), LocalSubjectAccessReview (the same,
 * within a namespace), SelfSubjectAccessReview (may I? {@code kubectl auth can-i}) and
 * SelfSubjectRulesReview (what may I do in this namespace? {@code kubectl auth can-i --list}).
 */
public final class AccessReviews {

    public static final String GROUP = "authorization.k8s.io";
    private static final String API_VERSION = GROUP + "/v1";

    private final Authorizer authorizer;

    public AccessReviews(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Answers a review of the given kind; {@code namespace} is the URL's (LocalSubjectAccessReview). */
    public ObjectNode answer(String kind, ObjectNode review, UserInfo requester, String namespace) {
        return switch (kind) {
            case "SubjectAccessReview" -> subjectAccessReview(review);
            case "LocalSubjectAccessReview" -> localSubjectAccessReview(review, namespace);
            case "SelfSubjectAccessReview" -> selfSubjectAccessReview(review, requester);
            case "SelfSubjectRulesReview" -> selfSubjectRulesReview(review, requester);
            default -> throw new IllegalArgumentException("not an access review: " + kind);
        };
    }

    ObjectNode subjectAccessReview(ObjectNode review) {
        JsonNode spec = review.path("spec");
        List<FieldError> errors = attributeErrors(spec);
        if (spec.path("user").asText("").isEmpty() && spec.path("groups").isEmpty()) {
            errors.add(FieldError.invalid("spec.user", spec.path("user").asText(""),
                    "at least one of user or group must be specified"));
        }
        invalidIfAny("SubjectAccessReview", errors);
        return decide(review, "SubjectAccessReview", subject(spec));
    }

    ObjectNode localSubjectAccessReview(ObjectNode review, String namespace) {
        JsonNode spec = review.path("spec");
        String asked = spec.path("resourceAttributes").path("namespace").asText("");
        if (spec.path("resourceAttributes").isObject() && !asked.equals(namespace)) {
            throw StatusException.badRequest("spec.resourceAttributes.namespace must match namespace: " + namespace);
        }
        List<FieldError> errors = attributeErrors(spec);
        if (spec.path("user").asText("").isEmpty() && spec.path("groups").isEmpty()) {
            errors.add(FieldError.invalid("spec.user", spec.path("user").asText(""),
                    "at least one of user or group must be specified"));
        }
        invalidIfAny("LocalSubjectAccessReview", errors);
        ObjectNode answer = decide(review, "LocalSubjectAccessReview", subject(spec));
        answer.withObject("metadata").put("namespace", namespace);
        return answer;
    }

    ObjectNode selfSubjectAccessReview(ObjectNode review, UserInfo requester) {
        invalidIfAny("SelfSubjectAccessReview", attributeErrors(review.path("spec")));
        return decide(review, "SelfSubjectAccessReview", requester);
    }

    ObjectNode selfSubjectRulesReview(ObjectNode review, UserInfo requester) {
        String namespace = review.path("spec").path("namespace").asText("");
        if (namespace.isEmpty()) {
            throw StatusException.badRequest("no namespace on request");
        }
        UserRules rules = authorizer.rulesFor(requester, namespace);
        ObjectNode answer = answerOf(review, "SelfSubjectRulesReview");
        ObjectNode status = answer.putObject("status");
        var resourceRules = status.putArray("resourceRules");
        var nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule rule : rules.rules()) {
            ObjectNode json = rule.toJson();
            (rule.nonResourceURLs().isEmpty() ? resourceRules : nonResourceRules).add(json);
        }
        status.put("incomplete", rules.incomplete());
        if (!rules.errors().isEmpty()) {
            status.put("evaluationError", String.join(", ", rules.errors()));
        }
        return answer;
    }

    private ObjectNode decide(ObjectNode review, String kind, UserInfo subject) {
        Decision decision = authorizer.authorize(attributes(review.path("spec"), subject));
        ObjectNode answer = answerOf(review, kind);
        ObjectNode status = answer.putObject("status");
        status.put("allowed", decision.allowed());
        if (decision instanceof Decision.Deny) {
            status.put("denied", true);
        }
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        return answer;
    }

    /** The request the review asks about, as the authorizers see requests. */
    static Attributes attributes(JsonNode spec, UserInfo subject) {
        JsonNode resource = spec.path("resourceAttributes");
        if (resource.isObject()) {
            return Attributes.resource(subject, resource.path("verb").asText(""), resource.path("group").asText(""),
                    resource.path("resource").asText(""), resource.path("subresource").asText(""),
                    resource.path("namespace").asText(""), resource.path("name").asText(""));
        }
        JsonNode nonResource = spec.path("nonResourceAttributes");
        return Attributes.nonResource(subject, nonResource.path("verb").asText(""), nonResource.path("path").asText(""));
    }

    /** The user a SubjectAccessReview names: exactly what it says, no groups added. */
    private static UserInfo subject(JsonNode spec) {
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.path("extra").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            extra.put(e.getKey(), values);
        });
        return new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups, extra);
    }

    private static List<FieldError> attributeErrors(JsonNode spec) {
        List<FieldError> errors = new ArrayList<>();
        boolean resource = spec.path("resourceAttributes").isObject();
        boolean nonResource = spec.path("nonResourceAttributes").isObject();
        if (resource && nonResource) {
            errors.add(FieldError.invalid("spec.nonResourceAttributes", spec.path("nonResourceAttributes").toString(),
                    "cannot be specified in combination with resourceAttributes"));
        }
        if (!resource && !nonResource) {
            errors.add(FieldError.invalid("spec.resourceAttributes", null,
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        return errors;
    }

    private static void invalidIfAny(String kind, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw StatusException.invalid(GROUP, kind, "", errors);
        }
    }

    private static ObjectNode answerOf(ObjectNode review, String kind) {
        ObjectNode answer = review.deepCopy();
        answer.put("kind", kind);
        answer.put("apiVersion", API_VERSION);
        ObjectNode meta = answer.path("metadata").isObject() ? (ObjectNode) answer.get("metadata")
                : answer.putObject("metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        answer.remove("status");
        return answer;
    }
}
