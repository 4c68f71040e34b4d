package dev.konductor.api.status;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An API error that becomes a {@code Status} object in upstream's shape:
 * {@code {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,
 * "reason":...,"details":{...},"code":...}}.
 *
 * <p>{@code qualifiedResource} is the resource as upstream names it in messages:
 * {@code pods}, {@code deployments.apps}.
 */
public final class StatusException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final List<FieldError> causes;
    private final Integer retryAfterSeconds;

    public StatusException(int code, String reason, String message, String name, String group, String kind,
                           List<FieldError> causes, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = causes == null ? List.of() : List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static StatusException notFound(String group, String resource, String name) {
        return new StatusException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                name, group, resource, null, null);
    }

    public static StatusException alreadyExists(String group, String resource, String name) {
        return new StatusException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                name, group, resource, null, null);
    }

    /** A stale resourceVersion or similar optimistic-concurrency failure. */
    public static StatusException conflict(String group, String resource, String name, String detail) {
        return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + detail, name, group, resource, null, null);
    }

    /** 422: {@code kind} is the Kind ({@code Pod}); each cause names its field. */
    public static StatusException invalid(String group, String kind, String name, List<FieldError> causes) {
        StringBuilder msg = new StringBuilder(kind);
        if (group != null && !group.isEmpty()) {
            msg.append('.').append(group);
        }
        msg.append(" \"").append(name == null ? "" : name).append("\" is invalid: ");
        if (causes.size() == 1) {
            msg.append(render(causes.get(0)));
        } else {
            msg.append('[');
            for (int i = 0; i < causes.size(); i++) {
                if (i > 0) {
                    msg.append(", ");
                }
                msg.append(render(causes.get(i)));
            }
            msg.append(']');
        }
        return new StatusException(422, "Invalid", msg.toString(), name, group, kind, causes, null);
    }

    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message, null, null, null, null, null);
    }

    public static StatusException methodNotAllowed(String message) {
        return new StatusException(405, "MethodNotAllowed", message, null, null, null, null, null);
    }

    public static StatusException forbidden(String group, String resource, String name, String detail) {
        String what = qualified(group, resource) + (name == null ? "" : " \"" + name + "\"");
        return new StatusException(403, "Forbidden", what + " is forbidden: " + detail, name, group, resource, null, null);
    }

    public static StatusException unauthorized() {
        return new StatusException(401, "Unauthorized", "Unauthorized", null, null, null, null, null);
    }

    public static StatusException gone(String message) {
        return new StatusException(410, "Expired", message, null, null, null, null, null);
    }

    public static StatusException tooManyRequests(String message, int retryAfterSeconds) {
        return new StatusException(429, "TooManyRequests", message, null, null, null, null, retryAfterSeconds);
    }

    public static StatusException requestEntityTooLarge(String message) {
        return new StatusException(413, "RequestEntityTooLarge", message, null, null, null, null, null);
    }

    public static StatusException unsupportedMediaType(String contentType) {
        return new StatusException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
                null, null, null, null, null);
    }

    public static StatusException notAcceptable(String message) {
        return new StatusException(406, "NotAcceptable", message, null, null, null, null, null);
    }

    public static StatusException serviceUnavailable(String message) {
        return new StatusException(503, "ServiceUnavailable", message, null, null, null, null, null);
    }

    public static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message, null, null, null, null, null);
    }

    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    private static String render(FieldError e) {
        return e.field() == null || e.field().isEmpty() ? e.message() : e.field() + ": " + e.message();
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<FieldError> causes() {
        return causes;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The {@code Status} object sent to clients. */
    public ObjectNode toStatus() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode status = f.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        if (name != null || group != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (group != null && !group.isEmpty()) {
                details.put("group", group);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
            if (!causes.isEmpty()) {
                var arr = details.putArray("causes");
                for (FieldError c : causes) {
                    ObjectNode o = arr.addObject();
                    o.put("reason", c.reason());
                    o.put("message", c.message());
                    if (c.field() != null) {
                        o.put("field", c.field());
                    }
                }
            }
            if (retryAfterSeconds != null) {
                details.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        status.put("code", code);
        return status;
    }
}
