package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.componentstatus.ComponentStatuses;

/** get and list of componentstatuses, with upstream's deprecation warning. */
final class ComponentStatusHandler {

    static final String DEPRECATION = "v1 ComponentStatus is deprecated in v1.19+";

    private final ComponentStatuses statuses;
    private final Output output;

    ComponentStatusHandler(ComponentStatuses statuses, Output output) {
        this.statuses = statuses;
        this.output = output;
    }

    static boolean handles(RequestContext ctx) {
        return ctx.type().group().isEmpty() && ctx.type().plural().equals("componentstatuses");
    }

    void handle(RequestContext ctx) {
        if (!ctx.exchange().method().equals("GET") || ctx.info().subresource() != null) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        ctx.exchange().warn(DEPRECATION);
        if (ctx.name() == null) {
            output.list(ctx, statuses.list(), "", null);
            return;
        }
        ObjectNode status = statuses.get(ctx.name())
                .orElseThrow(() -> StatusException.notFound("", "componentstatuses", ctx.name()));
        output.object(ctx, 200, status);
    }
}
