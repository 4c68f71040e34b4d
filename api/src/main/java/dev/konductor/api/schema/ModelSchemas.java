package dev.konductor.api.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The schemas of the built-in kinds, derived by reflection from the fabric8 model classes (their
 * {@code @JsonProperty} fields) and completed with what those classes do not carry: upstream's
 * definition names, required fields, list merge semantics ({@link ListSemantics}) and which
 * strings are really timestamps.
 *
 * <p>One instance is built at start-up and shared; every type reachable from a built-in kind is
 * built eagerly by {@link #create()}, so lookups afterwards only read. Schemas handed out are
 * immutable.
 */
public final class ModelSchemas {

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

    /** String properties that upstream types as metav1.Time although their name does not end in Time. */
    private static final Set<String> OTHER_TIME_PROPERTIES = Set.of("time", "timeAdded", "startedAt", "finishedAt");

    /** Meta types every OpenAPI document refers to from its operations. */
    private static final List<Class<?>> META_TYPES = List.of(
            io.fabric8.kubernetes.api.model.Status.class,
            io.fabric8.kubernetes.api.model.DeleteOptions.class,
            io.fabric8.kubernetes.api.model.WatchEvent.class,
            io.fabric8.kubernetes.api.model.ListMeta.class,
            io.fabric8.kubernetes.api.model.ObjectMeta.class,
            io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class);

    private final Map<Class<?>, Schema.ObjectType> byClass = new HashMap<>();
    private final Map<String, Schema.ObjectType> byName = new TreeMap<>();

    private ModelSchemas() {
    }

    /** Schemas for every built-in kind, its list kind and the meta types. */
    public static ModelSchemas create() {
        ModelSchemas schemas = new ModelSchemas();
        for (ResourceType type : ResourceRegistry.builtIn().all()) {
            if (type.modelClass() != null) {
                schemas.forModel(type.modelClass());
                schemas.forListOf(type.modelClass());
            }
        }
        META_TYPES.forEach(schemas::forModel);
        return schemas;
    }

    /** The object schema of a fabric8 model class, built on first use. */
    public synchronized Schema.ObjectType forModel(Class<?> modelClass) {
        Schema.ObjectType existing = byClass.get(modelClass);
        return existing != null ? existing : build(modelClass);
    }

    /** The schema of {@code <Kind>List} for a kind's model class, if fabric8 has such a class. */
    public Optional<Schema.ObjectType> forListOf(Class<?> modelClass) {
        try {
            Class<?> list = Class.forName(modelClass.getName() + "List", false, modelClass.getClassLoader());
            return Optional.of(forModel(list));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The schema of ObjectMeta, which every kind's {@code metadata} is pruned and validated against. */
    public Schema.ObjectType objectMeta() {
        return forModel(io.fabric8.kubernetes.api.model.ObjectMeta.class);
    }

    /** Every named type built so far, by upstream definition name, sorted by name. */
    public synchronized Map<String, Schema.ObjectType> definitions() {
        return Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    public synchronized Optional<Schema.ObjectType> definition(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The patch strategy upstream declares on an object-valued property ({@code retainKeys} on
     * {@code DeploymentSpec.strategy}); list strategies are on {@link Schema.ArrayType} instead.
     */
    public Optional<String> fieldPatchStrategy(String definition, String property) {
        return ListSemantics.objectStrategy(definition, property);
    }

    private Schema.ObjectType build(Class<?> modelClass) {
        String name = UpstreamNames.definitionName(modelClass);
        List<Field> fields = jsonFields(modelClass);
        // The type is registered before its properties are filled so that cycles (JSONSchemaProps)
        // resolve to it; the view handed out is unmodifiable and complete once build returns.
        Map<String, Schema.Property> properties = new LinkedHashMap<>();
        // An object fabric8 models without properties (FieldsV1) is free-form upstream too.
        Schema.ObjectType type = new Schema.ObjectType(name, "", Collections.unmodifiableMap(properties),
                required(name, fields), fields.isEmpty());
        byClass.put(modelClass, type);
        byName.put(name, type);
        for (Field field : fields) {
            String property = jsonName(field);
            properties.put(property, new Schema.Property(schemaOf(field.getGenericType(), name, property), ""));
        }
        return type;
    }

    private static List<String> required(String name, List<Field> fields) {
        List<String> required = RequiredFields.of(name);
        // every list kind requires items, as upstream's generated lists do
        if (required.isEmpty() && name.endsWith("List") && fields.stream().anyMatch(f -> jsonName(f).equals("items"))) {
            return List.of("items");
        }
        return required;
    }

    private Schema schemaOf(Type type, String owner, String property) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return arrayOf(schemaOf(bound(args[0]), owner, property), owner, property);
            }
            if (Map.class.isAssignableFrom(raw)) {
                return new Schema.MapType(mapValueSchema(bound(args[1]), owner, property), "");
            }
            return new Schema.AnyValue("");
        }
        if (!(type instanceof Class<?> c)) {
            return new Schema.AnyValue("");
        }
        return classSchema(c, property);
    }

    private Schema classSchema(Class<?> c, String property) {
        if (c == String.class) {
            return isTimeProperty(property) ? new Schema.Time("") : scalar(Schema.ScalarKind.STRING, null);
        }
        if (c == Integer.class || c == int.class) {
            return scalar(Schema.ScalarKind.INTEGER, "int32");
        }
        if (c == Long.class || c == long.class) {
            return scalar(Schema.ScalarKind.INTEGER, "int64");
        }
        if (c == Boolean.class || c == boolean.class) {
            return scalar(Schema.ScalarKind.BOOLEAN, null);
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return scalar(Schema.ScalarKind.NUMBER, "double");
        }
        if (c == IntOrString.class) {
            return new Schema.IntOrString("");
        }
        if (c == Quantity.class) {
            return new Schema.Quantity("");
        }
        if (c == MicroTime.class || Temporal.class.isAssignableFrom(c)) {
            return new Schema.Time("");
        }
        if (isFreeForm(c)) {
            return new Schema.AnyValue("");
        }
        return forModel(c);
    }

    /**
     * Types whose value is arbitrary JSON: embedded objects (RawExtension, KubernetesResource), JSON
     * values and the CRD schema unions (JSONSchemaPropsOrBool ...) that upstream publishes untyped.
     */
    private static boolean isFreeForm(Class<?> c) {
        return c == Object.class || JsonNode.class.isAssignableFrom(c) || c.isInterface()
                || KubernetesResource.class == c || !c.getPackageName().startsWith(FABRIC8)
                || c.getSimpleName().equals("RawExtension") || c.getSimpleName().startsWith("JSONSchemaPropsOr")
                || c.getSimpleName().equals("JSON");
    }

    private Schema mapValueSchema(Type valueType, String owner, String property) {
        String key = owner + "#" + property;
        // fabric8 models these as plain strings; upstream gives them a format or a type
        if (key.equals("io.k8s.api.core.v1.Secret#data") || key.equals("io.k8s.api.core.v1.ConfigMap#binaryData")) {
            return scalar(Schema.ScalarKind.STRING, "byte");
        }
        if (key.equals("io.k8s.api.policy.v1.PodDisruptionBudgetStatus#disruptedPods")) {
            return new Schema.Time("");
        }
        return schemaOf(valueType, owner, "");
    }

    private static Schema.ArrayType arrayOf(Schema items, String owner, String property) {
        return ListSemantics.list(owner, property)
                .map(m -> new Schema.ArrayType(items, "", m.patchStrategy(), m.patchMergeKey(), m.listType(),
                        m.listMapKeys()))
                .orElseGet(() -> new Schema.ArrayType(items, "", null, null, null, List.of()));
    }

    /**
     * fabric8 models metav1.Time as a String; upstream's time fields are named {@code *Time},
     * {@code *Timestamp} or one of a few others ({@code startedAt}), and no other string is.
     */
    static boolean isTimeProperty(String property) {
        return property.endsWith("Time") || property.endsWith("Timestamp") || OTHER_TIME_PROPERTIES.contains(property);
    }

    private static Schema.Scalar scalar(Schema.ScalarKind kind, String format) {
        return new Schema.Scalar(kind, format, List.of(), "");
    }

    private static Type bound(Type type) {
        return type instanceof WildcardType wildcard ? wildcard.getUpperBounds()[0] : type;
    }

    /** The serialized fields of a model class, in its {@code @JsonPropertyOrder} and then declaration order. */
    private static List<Field> jsonFields(Class<?> modelClass) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = modelClass; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && field.isAnnotationPresent(JsonProperty.class)
                        && !field.isAnnotationPresent(JsonIgnore.class)) {
                    byName.putIfAbsent(jsonName(field), field);
                }
            }
        }
        List<Field> ordered = new ArrayList<>();
        JsonPropertyOrder order = modelClass.getAnnotation(JsonPropertyOrder.class);
        if (order != null) {
            for (String name : order.value()) {
                Field field = byName.remove(name);
                if (field != null) {
                    ordered.add(field);
                }
            }
        }
        ordered.addAll(byName.values());
        return ordered;
    }

    private static String jsonName(Field field) {
        String value = field.getAnnotation(JsonProperty.class).value();
        return value.isEmpty() ? field.getName() : value;
    }
}
