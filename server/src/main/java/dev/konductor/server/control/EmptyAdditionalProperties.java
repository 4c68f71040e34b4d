package dev.konductor.server.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Drops the empty {@code additionalProperties} map of every fabric8 model object the in-process
 * clients decode. Each model object's constructor allocates a {@code LinkedHashMap} for the
 * fields its class does not know, which almost every object leaves empty: the informers of the
 * controller manager and the scheduler cached 680,000 of them (38 MB) in a steady state of 5,000
 * pods. An object that has none gets the shared immutable empty map instead (fabric8's builders
 * copy it into a map of their own, and informer caches are read-only).
 *
 * <p>Register it before the modules whose deserializers it should wrap (Blackbird's): Jackson
 * applies the modifiers of later modules first, so this one wraps what they made.
 */
final class EmptyAdditionalProperties extends SimpleModule {

    private static final long serialVersionUID = 1L;
    private static final MethodType GETTER = MethodType.methodType(Map.class);
    private static final MethodType SETTER = MethodType.methodType(void.class, Map.class);

    EmptyAdditionalProperties() {
        super("konductor-empty-additional-properties");
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                Accessors accessors = Accessors.of(description.getBeanClass());
                return accessors == null ? deserializer : new Dropping(deserializer, accessors);
            }
        });
    }

    /** The getter and setter of a model class's additionalProperties. */
    private record Accessors(MethodHandle get, MethodHandle set) {
        static Accessors of(Class<?> type) {
            // a generic resource keeps all its content there
            if (!type.getName().startsWith("io.fabric8.kubernetes.api.model.")
                    || GenericKubernetesResource.class.isAssignableFrom(type)) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new Accessors(lookup.findVirtual(type, "getAdditionalProperties", GETTER)
                        .asType(MethodType.methodType(Map.class, Object.class)),
                        lookup.findVirtual(type, "setAdditionalProperties", SETTER)
                                .asType(MethodType.methodType(void.class, Object.class, Map.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }

        void dropIfEmpty(Object value) {
            if (value == null) {
                return;
            }
            try {
                Map<?, ?> map = (Map<?, ?>) get.invokeExact(value);
                if (map != null && map.isEmpty()) {
                    set.invokeExact(value, (Map) Map.of());
                }
            } catch (Throwable e) {
                // keep the map: a model class without plain accessors
            }
        }
    }

    private static final class Dropping extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;
        private final transient Accessors accessors;

        Dropping(JsonDeserializer<?> delegate, Accessors accessors) {
            super(delegate);
            this.accessors = accessors;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Dropping(newDelegatee, accessors);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            accessors.dropIfEmpty(value);
            return value;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) throws IOException {
            Object value = ((JsonDeserializer<Object>) _delegatee).deserialize(p, ctxt, intoValue);
            accessors.dropIfEmpty(value);
            return value;
        }
    }
}
