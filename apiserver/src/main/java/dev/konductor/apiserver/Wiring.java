package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.apiserver.rest.ApiRouter;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.rest.Output;
import dev.konductor.apiserver.openapi.OpenApi;

/** Connects the REST layer to the api module's rules, the printers and the OpenAPI documents. */
final class Wiring {

    private Wiring() {
    }

    static ApiRules rules() {
        return new ApiRules(dev.konductor.api.schema.ModelSchemas.create(), new ApiRules.KindChecks() {
            @Override
            public java.util.List<dev.konductor.api.status.FieldError> validateCreate(
                    dev.konductor.api.resource.ResourceType type, ObjectNode obj) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<dev.konductor.api.status.FieldError> validateUpdate(
                    dev.konductor.api.resource.ResourceType type, ObjectNode obj, ObjectNode old) {
                return java.util.List.of();
            }

            @Override
            public ObjectNode toStorage(dev.konductor.api.resource.ResourceType type, ObjectNode obj) {
                return obj;
            }

            @Override
            public ObjectNode fromStorage(dev.konductor.api.resource.ResourceType type, ObjectNode obj) {
                return obj;
            }
        });
    }

    static Output.TableRenderer tables() {
        dev.konductor.apiserver.printers.TablePrinter printer = new dev.konductor.apiserver.printers.TablePrinter();
        return (type, objects, rv, cont, include) -> printer.table(type, objects, rv, cont, null,
                dev.konductor.apiserver.printers.IncludeObject.parse(include), java.time.Instant.now());
    }

    static ApiRouter.OpenApiEndpoint openApi(OpenApi openApi, ObjectMapper mapper) {
        return new OpenApiEndpoint(openApi, mapper);
    }
}
