package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.conversion.Converter;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.ModelSchemas;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.validation.Validator;
import java.util.List;
import dev.konductor.apiserver.rest.ApiRouter;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.rest.Output;
import dev.konductor.apiserver.openapi.OpenApi;
import dev.konductor.apiserver.printers.ColumnSpec;
import dev.konductor.apiserver.printers.IncludeObject;
import dev.konductor.apiserver.printers.TablePrinter;

/** Connects the REST layer to the api module's rules, the printers and the OpenAPI documents. */
final class Wiring {

    private Wiring() {
    }

    static ApiRules rules() {
        Validator validator = new Validator();
        Converter converter = new Converter();
        return new ApiRules(ModelSchemas.create(), new ApiRules.KindChecks() {
            @Override
            public List<FieldError> validateCreate(ResourceType type, ObjectNode obj) {
                return validator.validateCreate(type, obj);
            }

            @Override
            public List<FieldError> validateUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
                return validator.validateUpdate(type, obj, old);
            }

            @Override
            public List<FieldError> validateStatusUpdate(ResourceType type, ObjectNode obj, ObjectNode old) {
                return validator.validateStatusUpdate(type, obj, old);
            }

            @Override
            public List<FieldError> validateEphemeralContainersUpdate(ObjectNode pod, ObjectNode old) {
                return validator.validateEphemeralContainersUpdate(pod, old);
            }

            @Override
            public ObjectNode toStorage(ResourceType type, ObjectNode obj) {
                return converter.toStorage(type, obj);
            }

            @Override
            public ObjectNode fromStorage(ResourceType type, ObjectNode obj) {
                return converter.fromStorage(type, obj);
            }
        });
    }

    /** Built-in kinds print with their upstream printers, custom resources with their CRD's columns. */
    static Output.TableRenderer tables(java.util.function.Function<ResourceType, List<ColumnSpec>> customColumns) {
        TablePrinter printer = new TablePrinter();
        return (type, objects, rv, cont, include) -> type.modelClass() == null
                ? printer.customTable(customColumns.apply(type), objects, rv, cont, null, IncludeObject.parse(include),
                java.time.Instant.now())
                : printer.table(type, objects, rv, cont, null, IncludeObject.parse(include), java.time.Instant.now());
    }

    static ApiRouter.OpenApiEndpoint openApi(OpenApi openApi, ObjectMapper mapper) {
        return new OpenApiEndpoint(openApi, mapper);
    }
}
