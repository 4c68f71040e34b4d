package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.apiserver.rest.ApiRouter;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.rest.Output;

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
        return (type, objects, rv, cont, include) -> {
            ObjectNode table = JsonNodeFactory.instance.objectNode();
            table.put("kind", "Table");
            table.put("apiVersion", "meta.k8s.io/v1");
            table.putObject("metadata").put("resourceVersion", rv);
            ArrayNode cols = table.putArray("columnDefinitions");
            ObjectNode name = cols.addObject();
            name.put("name", "Name");
            name.put("type", "string");
            name.put("format", "name");
            name.put("description", "");
            name.put("priority", 0);
            ArrayNode rows = table.putArray("rows");
            for (ObjectNode o : objects) {
                ObjectNode row = rows.addObject();
                row.putArray("cells").add(o.path("metadata").path("name").asText());
                row.set("object", o);
            }
            return table;
        };
    }

    static ApiRouter.OpenApiEndpoint openApi(ResourceRegistry registry, ObjectMapper mapper) {
        return exchange -> false;
    }
}
